using TypedBert.Data;
using TypedBert.Metrics;
using static TorchSharp.torch;

namespace TypedBert.Classification.Problems;

/// <summary>Real values per text: no activation, mean squared error, MSE and MAE as metrics.</summary>
internal sealed class RegressionProblem : ProblemStrategy
{
    public static readonly RegressionProblem Instance = new();

    RegressionProblem() { }

    public override ProblemType Type => ProblemType.Regression;

    // Squeezed as transformers does, so one output with targets [batch] or [batch, 1] gives the same loss.
    public override Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights, double labelSmoothing) =>
        nn.functional.mse_loss(logits.squeeze(-1), targets.squeeze(-1));

    public override Tensor Activate(Tensor logits) => logits.alias();

    public override float[] Activate(float[] logits) => [.. logits];

    public override bool Fits(TrainingExample example, int labels) => example.Target.Length == labels && example.SoftTarget is null; // soft targets are single-label

    public override Tensor Targets(IReadOnlyList<TrainingExample> examples, int labels) =>
        tensor(examples.SelectMany(e => e.Target).ToArray(), [examples.Count, labels]);

    public override TrainingExample Example(DataRow row, LabelSet labels) =>
        TrainingExample.ForValues(row.Text, [.. row.Label.Split(LabelSet.MultiLabelSeparator).Select(v =>
            DataFile.TryParseNumber(v.Trim(), out float value) ? value
                : throw new DataFormatException(row.Source, row.Line, $"regression target \"{v}\" is not a finite number"))], row.TextPair);

    public override ProblemReport Metrics(float[][] logits, IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> labels,
        IReadOnlyList<float>? thresholds) =>
        new(Regression: RegressionReport.Compute(logits, examples.Select(e => e.Target).ToList()));
}
