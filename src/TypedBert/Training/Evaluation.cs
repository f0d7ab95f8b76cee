using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Data;
using TypedBert.Metrics;
using static TorchSharp.torch;

namespace TypedBert.Training;

/// <summary>Scores a classifier on labelled examples.</summary>
public static class Evaluation
{
    /// <summary>Loss and the metrics of the classifier's problem type on <paramref name="examples"/>.</summary>
    public static EvaluationResult Run(TextClassifier classifier, IReadOnlyList<TrainingExample> examples, int? maxLength = null) =>
        Run(classifier, examples, maxLength, progress: null);

    /// <inheritdoc cref="Run(TextClassifier, IReadOnlyList{TrainingExample}, int?)"/>
    /// <param name="classifier">The classifier to score.</param>
    /// <param name="examples">Labelled examples.</param>
    /// <param name="maxLength">Longest input in tokens; the classifier's own when null.</param>
    /// <param name="progress">Told the number of examples scored so far after each batch.</param>
    public static EvaluationResult Run(TextClassifier classifier, IReadOnlyList<TrainingExample> examples, int? maxLength, IProgress<int>? progress) =>
        FromLogits(classifier, examples, Logits(classifier, examples, maxLength, progress));

    /// <summary>
    /// The classifier's logits for <paramref name="examples"/> in eval mode, one row per example: a long text read as
    /// <paramref name="longText"/> says (the classifier's <see cref="TextClassifier.LongText"/> when null), its windows' logits aggregated,
    /// so that metrics are per document whatever the strategy.
    /// </summary>
    internal static float[][] Logits(TextClassifier classifier, IReadOnlyList<TrainingExample> examples, int? maxLength, IProgress<int>? progress = null,
        LongTextSettings? longText = null)
    {
        if (examples.Count == 0) throw new ArgumentException("no evaluation examples", nameof(examples));
        var settings = longText ?? classifier.LongTextSettingsFor(maxLength);
        var documents = DocumentInputs.Encode(new LongTextEncoder(classifier.Tokenizer, settings), [.. examples.Select(e => e.Text)], [.. examples.Select(e => e.TextPair)]);
        bool wasTraining = classifier.Model.training;
        classifier.Model.eval();
        float[][] logits;
        // Progress counts documents, as the caller's total does; windows are computed longest first, so the count is their share.
        int inputs = documents.Inputs.Count;
        try { logits = classifier.ComputeLogits(documents.Inputs, progress is null ? null : done => progress.Report((int)((long)done * examples.Count / inputs))); }
        finally { if (wasTraining) classifier.Model.train(); }
        return [.. documents.Group(logits).Select(rows => WindowAggregator.Aggregate(rows, settings.Aggregation, classifier.ProblemType))];
    }

    /// <summary>The result for logits already computed, one row per example (a resumed run rebuilds its history this way).</summary>
    internal static EvaluationResult FromLogits(TextClassifier classifier, IReadOnlyList<TrainingExample> examples, float[][] logits)
    {
        if (logits.Length != examples.Count) throw new ArgumentException($"{logits.Length} rows of logits for {examples.Count} examples", nameof(logits));
        int labels = classifier.Labels.Count;
        double loss;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var logitTensor = tensor(logits.SelectMany(l => l).ToArray(), [examples.Count, labels]);
            var targets = classifier.ProblemType == ProblemType.SingleLabel
                ? tensor(examples.Select(e => (long)e.LabelId).ToArray())
                : tensor(examples.SelectMany(e => e.Target).ToArray(), [examples.Count, labels]);
            loss = classifier.Model.Loss(logitTensor, targets).item<float>();
        }

        switch (classifier.ProblemType)
        {
            case ProblemType.SingleLabel:
                var predicted = logits.Select(l => Array.IndexOf(l, l.Max())).ToList();
                return new EvaluationResult(loss, ClassificationReport.Compute(predicted, examples.Select(e => e.LabelId).ToList(), classifier.Labels), null, null);
            case ProblemType.MultiLabel:
                var thresholds = classifier.Model.Config.Thresholds;
                var chosen = logits.Select(l => l.Select((v, i) => 1 / (1 + Math.Exp(-v)) >= (thresholds?[i] ?? 0.5f)).ToArray()).ToList();
                var actual = examples.Select(e => e.Target.Select(t => t >= 0.5f).ToArray()).ToList();
                return new EvaluationResult(loss, null, MultiLabelReport.Compute(chosen, actual, classifier.Labels), null);
            default:
                return new EvaluationResult(loss, null, null, RegressionReport.Compute(logits, examples.Select(e => e.Target).ToList()));
        }
    }
}
