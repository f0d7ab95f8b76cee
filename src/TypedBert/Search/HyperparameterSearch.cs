using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Checkpoints;

namespace TypedBert.Search;

/// <summary>
/// Searches training hyperparameters (Hugging Face's <c>Trainer.hyperparameter_search</c>): each trial fine-tunes a fresh classifier
/// from the base model with the trial's options on the training examples, is scored on the evaluation examples after every epoch, may
/// be pruned, and is disposed before the next trial starts. The search sees only those two sets; score a test set once, after the
/// choice, by training <see cref="SearchResult.BestOptions"/> again.
/// </summary>
public sealed class HyperparameterSearch
{
    readonly string model;
    readonly IReadOnlyList<string> labels;
    readonly ProblemType problemType;
    readonly SearchSpace space;

    /// <summary>Prepares a search over <paramref name="space"/> for a classifier of <paramref name="labels"/> on <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The space, the budget or the base options are empty, contradictory or out of range; checked before any training.</exception>
    public HyperparameterSearch(string model, IReadOnlyList<string> labels, ProblemType problemType, SearchSpace space, HyperparameterSearchOptions? options = null)
    {
        Options = options ?? new HyperparameterSearchOptions();
        if (Options.BaseOptions.CheckpointDirectory is not null || Options.BaseOptions.ResumeFromCheckpoint is not null)
            throw new ArgumentException("trials write no checkpoints (a search resumes trial by trial); leave CheckpointDirectory and ResumeFromCheckpoint unset");
        TrainingSearchSpace.Validate(space, Options.BaseOptions, problemType);
        Options.Budget.Validate();
        this.model = model;
        this.labels = labels;
        this.problemType = problemType;
        this.space = space;
        (Direction, MetricName) = Objective(Options.Metric, problemType);
    }

    /// <summary>The settings.</summary>
    public HyperparameterSearchOptions Options { get; }

    /// <summary>Whether the metric is maximized or minimized.</summary>
    public StudyDirection Direction { get; }

    /// <summary>The evaluation figure compared, such as "accuracy".</summary>
    public string MetricName { get; }

    /// <summary>Which way <paramref name="metric"/> is better and its name; the loss (and any figure of a regression) is minimized.</summary>
    static (StudyDirection, string) Objective(BestModelMetric metric, ProblemType problemType) => (metric, problemType) switch
    {
        (BestModelMetric.Loss, _) or (_, ProblemType.Regression) => (StudyDirection.Minimize, "loss"),
        (BestModelMetric.MacroF1, _) => (StudyDirection.Maximize, "macro F1"),
        (BestModelMetric.MicroF1, _) => (StudyDirection.Maximize, "micro F1"),
        (_, ProblemType.MultiLabel) => (StudyDirection.Maximize, "subset accuracy"),
        _ => (StudyDirection.Maximize, "accuracy"),
    };

    double Value(EvaluationResult evaluation) => Direction == StudyDirection.Minimize ? evaluation.Loss : evaluation.Score(Options.Metric);

    /// <summary>
    /// Runs trials until the budget is spent (continuing a saved search when <see cref="HyperparameterSearchOptions.Resume"/> is set), saving
    /// the state after each. A trial whose training diverges is recorded as failed and the search goes on.
    /// </summary>
    /// <exception cref="ArgumentException">No training or evaluation examples.</exception>
    /// <exception cref="InvalidOperationException">A saved search exists without Resume, or was run with other settings or data.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the finished trials are saved and a resumed search reruns only the interrupted one.</exception>
    public SearchResult Run(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> eval, ISearchObserver? observer = null,
        CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new ArgumentException("no training examples", nameof(train));
        if (eval.Count == 0) throw new ArgumentException("no evaluation examples: the search chooses on them; give an evaluation set or carve one off the training data (DataSplit.HoldOut)", nameof(eval));
        observer ??= new SilentObserver();
        var settings = new Dictionary<string, string>
        {
            ["model"] = model,
            ["labels"] = string.Join(", ", labels),
            ["problem type"] = problemType.ToString(),
            ["metric"] = MetricName,
            ["training data"] = RunFingerprint.Hash(train),
            ["evaluation data"] = RunFingerprint.Hash(eval),
            // Threads change the speed, not the search; everything else in the base options shapes every trial.
            ["base options"] = JsonSerializer.Serialize(Options.BaseOptions with { Threads = null }, RelaxedJson),
        };
        var store = Options.StatePath is null ? null : new StudyStore(Options.StatePath);
        var study = new Study(space, Options.Sampler, Options.Pruner, Direction, store, Options.Resume, settings);
        var state = study.Optimize(run => RunTrial(run, train, eval, observer, cancellationToken), Options.Budget,
            recordAsFailed: e => e is TrainingDivergedException, starting: observer.TrialStarting, finished: observer.TrialFinished, cancellationToken: cancellationToken);
        return new SearchResult(state.Trials, Direction, MetricName, study.ResumedTrials, TimeSpan.FromSeconds(state.ElapsedSeconds));
    }

    double RunTrial(TrialRun run, IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample> eval, ISearchObserver observer, CancellationToken cancellationToken)
    {
        var options = TrainingSearchSpace.Apply(run.Parameters, Options.BaseOptions) with { MetricForBestModel = Options.Metric };
        // A fresh classifier per trial, disposed before the next: its weights, the optimizer's moments and every snapshot are freed.
        using var classifier = TextClassifier.FromPretrained(model, labels, problemType, TrainingSearchSpace.PoolingOf(run.Parameters), Options.Device, options.Seed);
        var trainer = new Trainer(classifier, options);
        trainer.AdditionalCallbacks.Add(new PruningCallback(run, Value));
        observer.Train(progress => trainer.Train(train, eval, progress, cancellationToken));
        var values = run.Intermediate.Select(v => v.Value);
        return Direction == StudyDirection.Maximize ? values.Max() : values.Min();
    }

    static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    sealed class SilentObserver : ISearchObserver;
}
