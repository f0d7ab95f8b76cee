namespace TypedBert.Training.Distillation;

/// <summary>One round of distillation.</summary>
/// <param name="Round">1 for the first.</param>
/// <param name="PoolTexts">Texts the teachers scored.</param>
/// <param name="Kept">Texts kept after confidence filtering and balancing, per favoured label.</param>
/// <param name="Training">The student's training run; null when a finished round was read back from its checkpoint folder.</param>
/// <param name="ResumedFrom">The checkpoint the round's training continued from, when it resumed one.</param>
public sealed record DistillationRound(int Round, int PoolTexts, IReadOnlyList<int> Kept, TrainingResult? Training, string? ResumedFrom = null);
