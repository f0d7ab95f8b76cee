namespace TypedBert.Training.Callbacks;

/// <summary>What the loop knows at the end of an epoch, and what callbacks decide about it for the callbacks after them.</summary>
internal sealed class EpochEnd(int batches, EvaluationResult? evaluation)
{
    /// <summary>Micro-batches in the epoch.</summary>
    public int Batches { get; } = batches;

    /// <summary>The evaluation after the epoch, or null without evaluation data.</summary>
    public EvaluationResult? Evaluation { get; } = evaluation;

    /// <summary>Set by <see cref="BestModelTracking"/>: the evaluation beat every earlier one.</summary>
    public bool Improved { get; set; }
}
