namespace TypedBert.Classification;

/// <summary>
/// How a <see cref="TextClassifier"/> predicts, fixed when it is loaded (<see cref="TextClassifier.Load(string, PredictionSettings, TorchSharp.torch.Device?)"/>)
/// or copied (<see cref="TextClassifier.WithSettings"/>) and never changed afterwards, so that prediction from many threads cannot
/// see another caller's settings. A null value means the model's own: its tokenizer's maximum length, the long-text strategy it was
/// trained and saved with, the automatic engine (an exported folder: its fp32 graph, else its int8 one).
/// </summary>
public sealed record PredictionSettings
{
    /// <summary>Longest input, special tokens included; the tokenizer's <c>model_max_length</c> when null.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Texts per forward pass in batch prediction.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>What happens to texts longer than <see cref="MaxLength"/>; the model's saved strategy (else truncation) when null.</summary>
    public LongTextOptions? LongText { get; init; }

    /// <summary>The number format of libtorch's matmuls; <see cref="InferencePrecision.Auto"/> picks bf16 only where the CPU has a bf16 matmul unit.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.Auto;

    /// <summary>
    /// What runs prediction; when null, the graph an exported folder holds, else the fastest exact engine for this CPU
    /// (<see cref="TextClassifier.EngineReason"/> says which and why; int8 only when named).
    /// </summary>
    public InferenceEngine? Engine { get; init; }

    /// <summary>Refuses a value no classifier can use, naming the field and the allowed range.</summary>
    internal void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "PredictionSettings.BatchSize must be at least 1");
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "not an InferencePrecision");
        if (Engine is { } engine && !Enum.IsDefined(engine)) throw new ArgumentOutOfRangeException(nameof(Engine), engine, "not an InferenceEngine");
    }
}
