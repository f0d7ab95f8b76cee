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
    LongTextSpec? LongText);

/// <summary>The few-shot settings of a configuration with <c>Method = TrainingMethod.SetFit</c>.</summary>
internal sealed record FewShotSpec(int PairIterations, double BodyLearningRate, int HeadSteps);

/// <summary>The parser's result for a <c>[BertTrainingConfig]</c> class.</summary>
internal sealed record TrainingConfigParseResult(TrainingConfigSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
