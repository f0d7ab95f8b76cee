namespace TypedBert.Generators.Model;

/// <summary>
/// A validated <c>[BertTrainingConfig]</c> class, as plain equatable data. <c>LongText</c> is null when the attribute sets no
/// long-text setting: the generated options then leave the classifier's own strategy in place.
/// </summary>
internal sealed record TrainingConfigSpec(
    string? Namespace,
    string ClassName,
    bool IsPublic,
    string LabelEnumFullyQualifiedName,
    string LabelEnumName,
    string BaseModel,
    int Epochs,
    double LearningRate,
    int BatchSize,
    int GradientAccumulationSteps,
    int WarmupSteps,
    double WarmupRatio,
    double WeightDecay,
    int MaxLength,
    int FreezeLayers,
    bool FreezeEmbeddings,
    int Seed,
    FewShotSpec? FewShot,
    LongTextSpec? LongText)
{
    // The options only a search result sets (the attribute has no argument for them); their defaults are TrainingOptions'.

    /// <summary>TrainingOptions.LayerwiseLearningRateDecay.</summary>
    public double LayerwiseLearningRateDecay { get; init; } = Training.TrainingDefaults.LayerwiseLearningRateDecay;
    /// <summary>TrainingOptions.LabelSmoothingFactor.</summary>
    public double LabelSmoothing { get; init; } = Training.TrainingDefaults.LabelSmoothingFactor;
    /// <summary>TrainingOptions.GroupByLength.</summary>
    public bool GroupByLength { get; init; }
    /// <summary>TrainingOptions.EmaDecay.</summary>
    public double? EmaDecay { get; init; }
    /// <summary>TrainingOptions.AverageLastEpochs.</summary>
    public int? AverageLastEpochs { get; init; }
    /// <summary>The classifier's pooling; null leaves it to the base model.</summary>
    public Classification.PoolingStrategy? Pooling { get; init; }
    /// <summary>The search result the values above (and those the attribute does not write) came from; null without one.</summary>
    public SearchResultSpec? Search { get; init; }
}

/// <summary>The few-shot settings of a configuration with <c>Method = TrainingMethod.SetFit</c>.</summary>
internal sealed record FewShotSpec(int PairIterations, double BodyLearningRate, int HeadSteps);

/// <summary>
/// The parser's result for a <c>[BertTrainingConfig]</c> class; <paramref name="Search"/> is what the search-result step needs when the
/// attribute names one (the spec then still lacks the file's values).
/// </summary>
internal sealed record TrainingConfigParseResult(TrainingConfigSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, SearchResultUse? Search = null);
