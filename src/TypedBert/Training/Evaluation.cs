using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Data;
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
        var model = classifier.IsExported ? null : classifier.Model; // an exported folder has only its graph, always in inference mode
        bool wasTraining = model?.training == true;
        model?.eval();
        float[][] logits;
        // Progress counts documents, as the caller's total does; windows are computed longest first, so the count is their share.
        int inputs = documents.Inputs.Count;
        try { logits = classifier.ComputeLogits(documents.Inputs, progress is null ? null : done => progress.Report((int)((long)done * examples.Count / inputs))); }
        finally { if (wasTraining) model!.train(); }
        return [.. documents.Group(logits).Select(rows => WindowAggregator.Aggregate(rows, settings.Aggregation, classifier.ProblemType))];
    }

    /// <summary>The result for logits already computed, one row per example (a resumed run rebuilds its history this way).</summary>
    internal static EvaluationResult FromLogits(TextClassifier classifier, IReadOnlyList<TrainingExample> examples, float[][] logits)
    {
        if (logits.Length != examples.Count) throw new ArgumentException($"{logits.Length} rows of logits for {examples.Count} examples", nameof(logits));
        int labels = classifier.Labels.Count;
        var problem = classifier.Problem;
        double loss;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var logitTensor = tensor(logits.SelectMany(l => l).ToArray(), [examples.Count, labels]);
            loss = problem.Loss(logitTensor, problem.Targets(examples, labels), classWeights: null, labelSmoothing: 0).item<float>();
        }
        var report = problem.Metrics(logits, examples, classifier.Labels, classifier.Config.Thresholds);
        return new EvaluationResult(loss, report.Classification, report.MultiLabel, report.Regression);
    }
}
