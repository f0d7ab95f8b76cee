namespace TypedBert.Search;

/// <summary>
/// The layout of <c>best.json</c>: its format number and the names of the properties that are not training options. <c>BestConfiguration</c>
/// writes and reads these names, and the source generator reads the file named in <c>[BertTrainingConfig(SearchResult = ...)]</c> with
/// them at build time (TypedBert.Abstractions, which both reference). A training option a search chooses is written under its row's
/// <see cref="Training.TrainingOption.JsonKey"/> in <see cref="Training.TrainingOptionTable"/>.
/// </summary>
public static class BestConfigurationFormat
{
    /// <summary>The format this TypedBert writes and reads; bumped when the meaning of a field changes.</summary>
    public const int Current = 1;

    /// <summary>The file's format number (1 when absent).</summary>
    public const string Format = "format";
    /// <summary>The base model the search trained.</summary>
    public const string Model = "model";
    /// <summary>The labels the search trained, in id order.</summary>
    public const string Labels = "labels";
    /// <summary>The number of the trial that chose the configuration.</summary>
    public const string Trial = "trial";
    /// <summary>The evaluation figure compared.</summary>
    public const string Metric = "metric";
    /// <summary>The trial's value of the metric.</summary>
    public const string Value = "value";
    /// <summary>The epoch whose evaluation gave the value.</summary>
    public const string BestEpoch = "best_epoch";
    /// <summary>What the search was evaluated on, in words.</summary>
    public const string EvaluatedOn = "evaluated_on";
    /// <summary>What the search trained on, in words.</summary>
    public const string TrainedOn = "trained_on";
    /// <summary>The pooling strategy, by name.</summary>
    public const string Pooling = "pooling";
}
