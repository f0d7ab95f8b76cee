using System.Text.Json;
using System.Text.Json.Serialization;
using TypedBert.Classification;
using TypedBert.Serialization;
using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>
/// The configuration a search chose, as <c>best.json</c> holds it: the base model, the maximum length, the pooling strategy and every
/// searched option under the search space's names, plus where it came from. <c>typedbert train --config best.json</c> and
/// <see cref="ApplyTo"/> train it again.
/// </summary>
public sealed record BestConfiguration
{
    /// <summary>Bumped when the meaning of a field changes; other formats are refused with a message.</summary>
    public const int CurrentFormat = 1;

    /// <summary>The file's format.</summary>
    public int Format { get; init; } = CurrentFormat;
    /// <summary>The base model (an embedded name, a folder or a hub id).</summary>
    public required string Model { get; init; }
    /// <summary>The trial that chose it.</summary>
    public required int Trial { get; init; }
    /// <summary>The evaluation figure compared, such as "accuracy".</summary>
    public required string Metric { get; init; }
    /// <summary>The trial's value of <see cref="Metric"/> on the evaluation data.</summary>
    public required double Value { get; init; }
    /// <summary>The epoch whose evaluation gave <see cref="Value"/>.</summary>
    public int? BestEpoch { get; init; }
    /// <summary>What the search was evaluated on, in words (a file, or the slice carved off the training file).</summary>
    public string? EvaluatedOn { get; init; }
    /// <summary>What the search trained on, in words.</summary>
    public string? TrainedOn { get; init; }
    /// <summary>The pooling strategy; null leaves it to the model.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<PoolingStrategy>))]
    public PoolingStrategy? Pooling { get; init; }
    /// <summary><see cref="TrainingOptions.MaxLength"/>.</summary>
    public int? MaxLength { get; init; }
    /// <summary><see cref="TrainingOptions.LearningRate"/>.</summary>
    public required double LearningRate { get; init; }
    /// <summary><see cref="TrainingOptions.Epochs"/>.</summary>
    public required int Epochs { get; init; }
    /// <summary><see cref="TrainingOptions.BatchSize"/>.</summary>
    public required int BatchSize { get; init; }
    /// <summary><see cref="TrainingOptions.WarmupRatio"/>.</summary>
    public required double WarmupRatio { get; init; }
    /// <summary><see cref="TrainingOptions.WeightDecay"/>.</summary>
    public required double WeightDecay { get; init; }
    /// <summary><see cref="TrainingOptions.LayerwiseLearningRateDecay"/>.</summary>
    [JsonPropertyName(TrainingSearchSpace.LayerLearningRateDecay)]
    public required double LayerLearningRateDecay { get; init; }
    /// <summary><see cref="TrainingOptions.LabelSmoothingFactor"/>.</summary>
    [JsonPropertyName(TrainingSearchSpace.LabelSmoothing)]
    public required double LabelSmoothing { get; init; }
    /// <summary><see cref="TrainingOptions.Seed"/>.</summary>
    public required int Seed { get; init; }
    /// <summary><see cref="TrainingOptions.GroupByLength"/>.</summary>
    public bool GroupByLength { get; init; }
    /// <summary><see cref="TrainingOptions.EmaDecay"/>.</summary>
    public double? EmaDecay { get; init; }
    /// <summary><see cref="TrainingOptions.AverageLastEpochs"/>.</summary>
    public int? AverageLastEpochs { get; init; }

    /// <summary>The configuration of <paramref name="result"/>'s best trial, trained with <paramref name="baseOptions"/> as the search's trials were.</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public static BestConfiguration From(SearchResult result, string model, TrainingOptions baseOptions)
    {
        var best = result.Best ?? throw new InvalidOperationException("no trial completed, so there is no best configuration");
        var options = result.BestOptions(baseOptions);
        return new BestConfiguration
        {
            Model = model, Trial = best.Number, Metric = result.MetricName, Value = best.Value!.Value, BestEpoch = best.BestStep(result.Direction),
            Pooling = result.BestPooling, MaxLength = options.MaxLength, LearningRate = options.LearningRate, Epochs = options.Epochs,
            BatchSize = options.BatchSize, WarmupRatio = options.WarmupRatio, WeightDecay = options.WeightDecay,
            LayerLearningRateDecay = options.LayerwiseLearningRateDecay, LabelSmoothing = options.LabelSmoothingFactor, Seed = options.Seed,
            GroupByLength = options.GroupByLength, EmaDecay = options.EmaDecay, AverageLastEpochs = options.AverageLastEpochs,
        };
    }

    /// <summary><paramref name="options"/> with every training option of this configuration.</summary>
    public TrainingOptions ApplyTo(TrainingOptions options) => options with
    {
        MaxLength = MaxLength ?? options.MaxLength, LearningRate = LearningRate, Epochs = Epochs, BatchSize = BatchSize, WarmupRatio = WarmupRatio,
        WarmupSteps = null, WeightDecay = WeightDecay, LayerwiseLearningRateDecay = LayerLearningRateDecay, LabelSmoothingFactor = LabelSmoothing,
        Seed = Seed, GroupByLength = GroupByLength, EmaDecay = EmaDecay, AverageLastEpochs = AverageLastEpochs,
    };

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Writes the configuration to <paramref name="path"/> atomically.</summary>
    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json) + "\n");

    /// <summary>Reads a configuration that <see cref="Write"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The file is not a best configuration of this format; the message names it and the problem.</exception>
    public static BestConfiguration Read(string path)
    {
        BestConfiguration? configuration;
        try { configuration = JsonSerializer.Deserialize<BestConfiguration>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a configuration written by typedbert tune ({e.Message})", e); }
        if (configuration is null) throw new InvalidDataException($"{path}: empty configuration");
        if (configuration.Format != CurrentFormat)
            throw new InvalidDataException($"{path}: configuration format {configuration.Format}; this TypedBert reads format {CurrentFormat}");
        return configuration;
    }
}
