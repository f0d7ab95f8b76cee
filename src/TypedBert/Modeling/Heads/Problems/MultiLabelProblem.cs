using TypedBert.Data;
using TypedBert.Metrics;
using static TorchSharp.torch;

namespace TypedBert.Classification.Problems;

/// <summary>Any subset of the labels: sigmoid per label, BCE-with-logits on multi-hot targets, per-label thresholds, subset metrics.</summary>
internal sealed class MultiLabelProblem : ProblemStrategy
{
    public static readonly MultiLabelProblem Instance = new();

    MultiLabelProblem() { }

    public override ProblemType Type => ProblemType.MultiLabel;

    public override Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights, double labelSmoothing) =>
        nn.functional.binary_cross_entropy_with_logits(logits, targets, pos_weights: classWeights);

    public override Tensor Activate(Tensor logits) => logits.sigmoid();

    public override float[] Activate(float[] logits) => [.. logits.Select(l => 1f / (1f + MathF.Exp(-l)))];

    public override bool Fits(TrainingExample example, int labels) => example.Target.Length == labels && example.SoftTarget is null; // soft targets are single-label

    public override Tensor Targets(IReadOnlyList<TrainingExample> examples, int labels) =>
        tensor(examples.SelectMany(e => e.Target).ToArray(), [examples.Count, labels]);

    public override TrainingExample Example(DataRow row, LabelSet labels) =>
        TrainingExample.ForLabels(row.Text, labels.ParseMany(row), labels.Count, row.TextPair);

    public override ProblemReport Metrics(float[][] logits, IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> labels,
        IReadOnlyList<float>? thresholds)
    {
        // Decided on the same scores as prediction, so an evaluation counts exactly the labels Predict would return.
        var chosen = logits.Select(l => Decide(Activate(l), thresholds)).ToList();
        var actual = examples.Select(e => e.Target.Select(t => t >= 0.5f).ToArray()).ToList();
        return new ProblemReport(MultiLabel: MultiLabelReport.Compute(chosen, actual, labels));
    }
}
