using TypedBert.Data;
using TypedBert.Metrics;
using TypedBert.Training;
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

    public override bool Fits(TrainingExample example, int labels) => example.LabelId >= 0 && example.LabelId < labels;

    public override Tensor Targets(IReadOnlyList<TrainingExample> examples, int labels) =>
        tensor(examples.Select(e => (long)e.LabelId).ToArray());

    public override EvaluationResult Metrics(double loss, float[][] logits, IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> labels,
        IReadOnlyList<float>? thresholds)
    {
        // The arg-max of the logits is the arg-max of the softmax, so no activation is needed to decide.
        var predicted = logits.Select(l => Array.IndexOf(l, l.Max())).ToList();
        return new EvaluationResult(loss, ClassificationReport.Compute(predicted, examples.Select(e => e.LabelId).ToList(), labels), null, null);
    }
}
