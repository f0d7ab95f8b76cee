namespace TypedBert.Training.Callbacks;

/// <summary>What the loop knows at the end of an epoch.</summary>
/// <param name="Batches">Micro-batches in the epoch.</param>
/// <param name="Evaluation">The evaluation after the epoch, or null without evaluation data.</param>
internal sealed record EpochEnd(int Batches, EvaluationResult? Evaluation);
