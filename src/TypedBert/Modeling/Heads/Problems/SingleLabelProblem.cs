using TypedBert.Data;
using TypedBert.Metrics;
using static TorchSharp.torch;

namespace TypedBert.Classification.Problems;

/// <summary>Exactly one label per text: softmax, cross-entropy on label ids, the best label wins, accuracy/F1/confusion matrix.</summary>
internal sealed class SingleLabelProblem : ProblemStrategy
{
    public static readonly SingleLabelProblem Instance = new();

    SingleLabelProblem() { }

    public override ProblemType Type => ProblemType.SingleLabel;

    public override Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights, double labelSmoothing) =>
        nn.functional.cross_entropy(logits, targets, classWeights, label_smoothing: labelSmoothing);

    public override Tensor Activate(Tensor logits) => logits.softmax(-1);

    public override float[] Activate(float[] logits)
    {
        // Subtracting the maximum keeps exp finite for large logits without changing the ratios.
        float max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        float sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    public override TrainingExample Example(DataRow row, LabelSet labels) => TrainingExample.ForLabel(row.Text, labels.Parse(row.Label, row), row.TextPair);

    // A row has a label, a soft target over every label, or both.
    public override bool Fits(TrainingExample example, int labels) =>
        (example.SoftTarget is null || example.SoftTarget.Length == labels)
        && (example.LabelId >= 0 && example.LabelId < labels || example.LabelId == -1 && example.SoftTarget is not null);

    /// <summary>
    /// Without soft targets, the cross-entropy as always. With them, the mean over the batch of (1 - alpha) times each labelled row's
    /// cross-entropy plus alpha times T² KL(teacher ‖ student at T) for each row with a soft target (the trainer's <c>SoftTargetLoss</c>).
    /// </summary>
    public override Tensor BatchLoss(Tensor logits, IReadOnlyList<TrainingExample> examples, Tensor? classWeights, double labelSmoothing,
        double softTargetWeight, double softTargetTemperature)
    {
        if (examples.All(e => e.SoftTarget is null)) return base.BatchLoss(logits, examples, classWeights, labelSmoothing, softTargetWeight, softTargetTemperature);
        var device = logits.device;
        int labels = (int)logits.shape[1];
        using var scope = NewDisposeScope();
        var total = zeros([], logits.dtype, device);
        var hard = Enumerable.Range(0, examples.Count).Where(i => examples[i].LabelId >= 0).ToArray();
        if (hard.Length > 0 && softTargetWeight < 1)
        {
            var rows = logits.index_select(0, tensor(hard.Select(i => (long)i).ToArray(), device: device));
            var ids = tensor(hard.Select(i => (long)examples[i].LabelId).ToArray(), device: device);
            // Summed per row (each weighted by its label's class weight), so that rows of both kinds share one mean.
            var crossEntropy = nn.functional.cross_entropy(rows, ids, classWeights, reduction: nn.Reduction.Sum, label_smoothing: labelSmoothing);
            total = total + (1 - softTargetWeight) * crossEntropy;
        }
        var soft = Enumerable.Range(0, examples.Count).Where(i => examples[i].SoftTarget is not null).ToArray();
        if (soft.Length > 0 && softTargetWeight > 0)
        {
            double t = softTargetTemperature;
            var rows = logits.index_select(0, tensor(soft.Select(i => (long)i).ToArray(), device: device));
            var teacher = tensor(soft.SelectMany(i => examples[i].SoftTarget!).ToArray(), [soft.Length, labels], device: device).to(logits.dtype);
            // KL(p ‖ q) = Σ p (log p - log q); a zero probability adds nothing (the clamp only keeps log finite).
            var divergence = (teacher * (teacher.clamp_min(1e-12).log() - (rows / t).log_softmax(-1))).sum();
            total = total + softTargetWeight * t * t * divergence;
        }
        return (total / examples.Count).MoveToOuterDisposeScope();
    }

    public override Tensor Targets(IReadOnlyList<TrainingExample> examples, int labels) =>
        tensor(examples.Select(e => (long)e.LabelId).ToArray());

    public override ProblemReport Metrics(float[][] logits, IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> labels,
        IReadOnlyList<float>? thresholds)
    {
        // The arg-max of the logits is the arg-max of the softmax, so no activation is needed to decide.
        var predicted = logits.Select(l => Array.IndexOf(l, l.Max())).ToList();
        return new ProblemReport(Classification: ClassificationReport.Compute(predicted, examples.Select(e => e.LabelId).ToList(), labels));
    }
}
