using TypedBert.Classification.Problems;
using TypedBert.Data;
using TypedBert.Training.Distillation;
using static TorchSharp.torch;

namespace TypedBert.Training;

/// <summary>The batch loss with the trainer's <see cref="SoftTargetLoss"/> option, which the problem types (below training) take as two numbers.</summary>
internal static class SoftTargetBatchLoss
{
    /// <summary><see cref="ProblemStrategy.BatchLoss"/> with <paramref name="softTargets"/>' weight and temperature.</summary>
    public static Tensor BatchLoss(this ProblemStrategy problem, Tensor logits, IReadOnlyList<TrainingExample> examples, Tensor? classWeights,
        double labelSmoothing, SoftTargetLoss softTargets) =>
        problem.BatchLoss(logits, examples, classWeights, labelSmoothing, softTargets.Weight, softTargets.Temperature);
}
