using TypedBert.Classification.Problems;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Checkpoints;
using TypedBert.Training.Distillation;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training.Distillation;

public class SoftTargetLossTests
{
    static double[] LogSoftmax(double[] z, double t)
    {
        double max = z.Max();
        double log = Math.Log(z.Sum(v => Math.Exp((v - max) / t)));
        return [.. z.Select(v => (v - max) / t - log)];
    }

    static float Loss(float[][] logits, IReadOnlyList<TrainingExample> examples, SoftTargetLoss soft, Tensor? classWeights = null)
    {
        using var scope = NewDisposeScope();
        var tensorLogits = tensor(logits.SelectMany(l => l).ToArray(), [logits.Length, logits[0].Length]);
        return SingleLabelProblem.Instance.BatchLoss(tensorLogits, examples, classWeights, 0, soft).item<float>();
    }

    [Fact]
    public void A_mixed_batch_weighs_cross_entropy_and_T_squared_KL_as_computed_by_hand()
    {
        float[][] logits = [[2f, 0f, -1f], [0.5f, 1.5f, 0f], [1f, -1f, 3f]];
        float[] teacher = [0.7f, 0.2f, 0.1f];
        var examples = new[]
        {
            TrainingExample.ForSoftTarget("a", teacher),
            TrainingExample.ForLabel("b", 1),
            TrainingExample.ForLabel("c", 0).WithSoftTarget([0.1f, 0.1f, 0.8f]),
        };
        var soft = new SoftTargetLoss(Temperature: 2, Weight: 0.25);

        // Hinton et al.: T² KL(p ‖ softmax(z / T)); cross-entropy at T = 1; alpha = 0.25 on the soft rows, 0.75 on the labelled, one mean.
        double Kl(float[] p, float[] z) => p.Zip(LogSoftmax([.. z.Select(v => (double)v)], 2), (pi, lq) => pi * (Math.Log(pi) - lq)).Sum();
        double Ce(float[] z, int label) => -LogSoftmax([.. z.Select(v => (double)v)], 1)[label];
        double expected = (0.25 * 4 * Kl(teacher, logits[0]) + 0.75 * Ce(logits[1], 1) + 0.75 * Ce(logits[2], 0) + 0.25 * 4 * Kl([0.1f, 0.1f, 0.8f], logits[2])) / 3;

        Assert.Equal(expected, Loss(logits, examples, soft), 5);
    }

    [Fact]
    public void Without_soft_targets_the_loss_is_the_plain_cross_entropy()
    {
        float[][] logits = [[2f, 0f], [0.5f, 1.5f]];
        var examples = new[] { TrainingExample.ForLabel("a", 0), TrainingExample.ForLabel("b", 0) };
        double expected = -(LogSoftmax([2, 0], 1)[0] + LogSoftmax([0.5, 1.5], 1)[0]) / 2;
        Assert.Equal(expected, Loss(logits, examples, new SoftTargetLoss(Temperature: 3, Weight: 0.9)), 5);
    }

    [Fact]
    public void A_soft_target_that_is_the_students_own_distribution_costs_nothing()
    {
        float[][] logits = [[1f, 2f]];
        var p = LogSoftmax([1, 2], 4).Select(l => (float)Math.Exp(l)).ToArray();
        Assert.Equal(0, Loss(logits, [TrainingExample.ForSoftTarget("a", p)], new SoftTargetLoss(Temperature: 4, Weight: 1)), 5);
    }

    [Fact]
    public void Soft_targets_are_part_of_the_run_fingerprint_and_must_be_distributions()
    {
        var plain = RunFingerprint.Hash([TrainingExample.ForSoftTarget("a", [0.6f, 0.4f])]);
        Assert.NotEqual(plain, RunFingerprint.Hash([TrainingExample.ForSoftTarget("a", [0.7f, 0.3f])]));
        Assert.NotEqual(RunFingerprint.Hash([TrainingExample.ForLabel("a", 0)]), RunFingerprint.Hash([TrainingExample.ForLabel("a", 0).WithSoftTarget([1f, 0f])]));
        Assert.Throws<ArgumentException>(() => TrainingExample.ForSoftTarget("a", [0.6f, 0.6f]));
        Assert.Throws<ArgumentException>(() => TrainingExample.ForSoftTarget("a", [1.5f, -0.5f]));
        Assert.False(SingleLabelProblem.Instance.Fits(TrainingExample.ForSoftTarget("a", [0.5f, 0.3f, 0.2f]), 2));
        Assert.True(SingleLabelProblem.Instance.Fits(TrainingExample.ForSoftTarget("a", [0.5f, 0.5f]), 2));
    }
}
