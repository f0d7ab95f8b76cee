using TypedBert.Data;
using static TorchSharp.torch;

namespace TypedBert.Classification.Problems;

/// <summary>
/// Everything that depends on a <see cref="ProblemType"/>: the training loss, the activation that turns logits into scores, the
/// decision that turns scores into labels, the target tensor of a batch of examples, and the evaluation metrics. Training,
/// prediction and evaluation all ask this one object, so a new problem type is one subclass and they cannot disagree.
/// </summary>
internal abstract class ProblemStrategy
{
    /// <summary>The strategy of <paramref name="type"/>.</summary>
    public static ProblemStrategy For(ProblemType type) => type switch
    {
        ProblemType.SingleLabel => SingleLabelProblem.Instance,
        ProblemType.MultiLabel => MultiLabelProblem.Instance,
        ProblemType.Regression => RegressionProblem.Instance,
        _ => throw new InvalidOperationException($"unknown problem type {type}"),
    };

    /// <summary>The problem type this strategy serves.</summary>
    public abstract ProblemType Type { get; }

    /// <summary>The training loss, as transformers computes it for this problem type.</summary>
    /// <param name="logits">[batch, labels].</param>
    /// <param name="targets">What <see cref="Targets"/> builds.</param>
    /// <param name="classWeights">Optional per-label weights [labels].</param>
    /// <param name="labelSmoothing">Label smoothing of the target; only single-label accepts a non-zero value.</param>
    public abstract Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights, double labelSmoothing);

    /// <summary>
    /// The training loss of a batch of <paramref name="examples"/>: <see cref="Loss"/> over their <see cref="Targets"/>. Only single-label
    /// examples may carry a teacher's soft target (<see cref="TrainingExample.SoftTarget"/>), which <see cref="SingleLabelProblem"/> reads
    /// with the weight and temperature of the trainer's <c>SoftTargetLoss</c> option.
    /// </summary>
    public virtual Tensor BatchLoss(Tensor logits, IReadOnlyList<TrainingExample> examples, Tensor? classWeights, double labelSmoothing,
        double softTargetWeight, double softTargetTemperature)
    {
        using var targets = Targets(examples, (int)logits.shape[1]);
        return Loss(logits, targets.to(logits.device), classWeights, labelSmoothing);
    }

    /// <summary>Scores from logits [batch, labels] (probabilities, or the values themselves).</summary>
    public abstract Tensor Activate(Tensor logits);

    /// <summary>Scores from one row of logits; the same function as <see cref="Activate(Tensor)"/> on the CPU without a tensor.</summary>
    public abstract float[] Activate(float[] logits);

    /// <summary>
    /// The labels a row of <paramref name="scores"/> selects: every one at or above its threshold (<paramref name="threshold"/>, else
    /// the model's per-label <paramref name="thresholds"/>, else 0.5). Multi-label decides this way; the other types keep the same
    /// rule because <see cref="Prediction.Labels"/> has always applied it to every problem type (single-label's best label is
    /// <see cref="Prediction.LabelId"/>).
    /// </summary>
    public virtual bool[] Decide(float[] scores, IReadOnlyList<float>? thresholds, float? threshold = null)
    {
        var chosen = new bool[scores.Length];
        for (int i = 0; i < scores.Length; i++) chosen[i] = scores[i] >= (threshold ?? thresholds?[i] ?? 0.5f);
        return chosen;
    }

    /// <summary>The example of <paramref name="row"/>, its label cell read for this problem type.</summary>
    /// <exception cref="DataFormatException">The label is unknown or not a number (file, line and reason).</exception>
    public abstract TrainingExample Example(DataRow row, LabelSet labels);

    /// <summary>Whether <paramref name="example"/> carries a target for a head of <paramref name="labels"/> outputs.</summary>
    public abstract bool Fits(TrainingExample example, int labels);

    /// <summary>The target tensor of <paramref name="examples"/> in the form <see cref="Loss"/> takes.</summary>
    public abstract Tensor Targets(IReadOnlyList<TrainingExample> examples, int labels);

    /// <summary>The metrics of this problem type for <paramref name="logits"/> (one row per example) against <paramref name="examples"/>.</summary>
    public abstract ProblemReport Metrics(float[][] logits, IReadOnlyList<TrainingExample> examples, IReadOnlyList<string> labels,
        IReadOnlyList<float>? thresholds);
}
