namespace TypedBert.Search;

/// <summary>
/// The layout of <c>best.json</c>: its format number and the name of each property. <c>BestConfiguration</c> writes and reads
/// these names, and the source generator reads the file named in
/// <c>[BertTrainingConfig(SearchResult = ...)]</c> with them at build time (TypedBert.Abstractions, which both reference).
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
    /// <summary>The longest input in tokens.</summary>
    public const string MaxLength = "max_length";
    /// <summary>The peak learning rate.</summary>
    public const string LearningRate = "learning_rate";
    /// <summary>Passes over the training data.</summary>
    public const string Epochs = "epochs";
    /// <summary>Examples per forward pass.</summary>
    public const string BatchSize = "batch_size";
    /// <summary>Fraction of the steps spent warming up.</summary>
    public const string WarmupRatio = "warmup_ratio";
    /// <summary>AdamW weight decay.</summary>
    public const string WeightDecay = "weight_decay";
    /// <summary>Layer-wise learning-rate decay.</summary>
    public const string LayerwiseLearningRateDecay = "layer_lr_decay";
    /// <summary>Renamed <see cref="LayerwiseLearningRateDecay"/>, as the option is named everywhere else.</summary>
    [System.Obsolete("use BestConfigurationFormat.LayerwiseLearningRateDecay", error: true)]
    public const string LayerLearningRateDecay = LayerwiseLearningRateDecay;
    /// <summary>Label smoothing of the single-label cross-entropy.</summary>
    public const string LabelSmoothing = "label_smoothing";
    /// <summary>Seed of shuffling, dropout and the head.</summary>
    public const string Seed = "seed";
    /// <summary>Whether batches group texts of similar length.</summary>
    public const string GroupByLength = "group_by_length";
    /// <summary>Decay of the exponential moving average of the weights.</summary>
    public const string EmaDecay = "ema_decay";
    /// <summary>Epochs whose weights are averaged at the end.</summary>
    public const string AverageLastEpochs = "average_last_epochs";
}
