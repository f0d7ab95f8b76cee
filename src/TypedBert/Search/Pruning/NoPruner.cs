namespace TypedBert.Search.Pruning;

/// <summary>Never prunes: every trial runs to its end.</summary>
public sealed class NoPruner : IPruner
{
    /// <inheritdoc/>
    public bool ShouldPrune(IReadOnlyList<IntermediateValue> current, IReadOnlyList<Trial> earlier, StudyDirection direction) => false;

    /// <inheritdoc/>
    public string Describe() => "none";
}
