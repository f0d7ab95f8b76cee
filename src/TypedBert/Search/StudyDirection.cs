namespace TypedBert.Search;

/// <summary>Whether a study looks for the largest or the smallest objective value.</summary>
public enum StudyDirection
{
    /// <summary>Larger is better (accuracy, F1).</summary>
    Maximize,
    /// <summary>Smaller is better (loss).</summary>
    Minimize,
}
