using System.Text.Json;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TypedBert.Classification;
using TypedBert.Serialization;
using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>
/// The configuration a search chose, as <c>best.json</c> holds it: the base model, the maximum length, the pooling strategy and every
/// searched option under the search space's names, plus where it came from. <c>typedbert train --config best.json</c> and
/// <see cref="ApplyTo(TrainingOptions)"/> train it again.
/// </summary>
public sealed record BestConfiguration
{
    /// <summary>Bumped when the meaning of a field changes; other formats are refused with a message.</summary>
    public const int CurrentFormat = BestConfigurationFormat.Current;

    /// <summary>The file's format.</summary>
    [JsonPropertyName(BestConfigurationFormat.Format)]
    public int Format { get; init; } = CurrentFormat;
    /// <summary>The base model (an embedded name, a folder or a hub id).</summary>
    [JsonPropertyName(BestConfigurationFormat.Model)]
    public required string Model { get; init; }
    /// <summary>
    /// The labels the search trained, in id order; null in files written before they were recorded. The source generator compares them
    /// with the enum of a <c>[BertTrainingConfig(SearchResult = ...)]</c> (TB0405).
    /// </summary>
    [JsonPropertyName(BestConfigurationFormat.Labels)]
    public IReadOnlyList<string>? Labels { get; init; }
    /// <summary>The trial that chose it.</summary>
    [JsonPropertyName(BestConfigurationFormat.Trial)]
    public required int Trial { get; init; }
    /// <summary>The evaluation figure compared, such as "accuracy".</summary>
    [JsonPropertyName(BestConfigurationFormat.Metric)]
    public required string Metric { get; init; }
    /// <summary>The trial's value of <see cref="Metric"/> on the evaluation data.</summary>
    [JsonPropertyName(BestConfigurationFormat.Value)]
    public required double Value { get; init; }
    /// <summary>The epoch whose evaluation gave <see cref="Value"/>.</summary>
    [JsonPropertyName(BestConfigurationFormat.BestEpoch)]
    public int? BestEpoch { get; init; }
    /// <summary>What the search was evaluated on, in words (a file, or the slice carved off the training file).</summary>
    [JsonPropertyName(BestConfigurationFormat.EvaluatedOn)]
    public string? EvaluatedOn { get; init; }
    /// <summary>What the search trained on, in words.</summary>
    [JsonPropertyName(BestConfigurationFormat.TrainedOn)]
    public string? TrainedOn { get; init; }
    /// <summary>The pooling strategy; null leaves it to the model.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<PoolingStrategy>))]
    [JsonPropertyName(BestConfigurationFormat.Pooling)]
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
    public required double LayerwiseLearningRateDecay { get; init; }
    /// <summary>Renamed <see cref="LayerwiseLearningRateDecay"/>, as <see cref="TrainingOptions"/> names it.</summary>
    [Obsolete("use LayerwiseLearningRateDecay", error: true)]
    [JsonIgnore]
    public double LayerLearningRateDecay { get => LayerwiseLearningRateDecay; init => LayerwiseLearningRateDecay = value; }
    /// <summary><see cref="TrainingOptions.LabelSmoothingFactor"/>.</summary>
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
    /// <param name="result">The search's result.</param>
    /// <param name="model">The base model the search trained.</param>
    /// <param name="baseOptions">The options every trial started from.</param>
    /// <param name="labels">The labels the search trained, in id order, recorded for the build-time check of a typed configuration.</param>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public static BestConfiguration From(SearchResult result, string model, TrainingOptions baseOptions, IReadOnlyList<string>? labels = null)
    {
        var best = result.Best ?? throw new InvalidOperationException("no trial completed, so there is no best configuration");
        var options = result.BestOptions(baseOptions);
        return new BestConfiguration
        {
            Model = model, Labels = labels is null ? null : [.. labels], Trial = best.Number, Metric = result.MetricName, Value = best.Value!.Value, BestEpoch = best.BestStep(result.Direction),
            Pooling = result.BestPooling, MaxLength = options.MaxLength, LearningRate = options.LearningRate, Epochs = options.Epochs,
            BatchSize = options.BatchSize, WarmupRatio = options.WarmupRatio, WeightDecay = options.WeightDecay,
            LayerwiseLearningRateDecay = options.LayerwiseLearningRateDecay, LabelSmoothing = options.LabelSmoothingFactor, Seed = options.Seed,
            GroupByLength = options.GroupByLength, EmaDecay = options.EmaDecay, AverageLastEpochs = options.AverageLastEpochs,
        };
    }

    /// <summary><paramref name="options"/> with every training option of this configuration.</summary>
    public TrainingOptions ApplyTo(TrainingOptions options) => ApplyTo(options, _ => false);

    /// <summary>
    /// <paramref name="options"/> with this configuration's value of every option <paramref name="isExplicit"/> does not claim, by
    /// <see cref="OptionPrecedence"/> (explicit &gt; searched &gt; default), the rule <c>[BertTrainingConfig(SearchResult = ...)]</c>
    /// follows at build time. A searched option also clears the one that would win over it (<see cref="TrainingOption.OverriddenBy"/>: the
    /// search's warm-up ratio clears <see cref="TrainingOptions.WarmupSteps"/>) unless that one is explicit.
    /// </summary>
    /// <param name="options">The options as the user gave them (defaults where not given).</param>
    /// <param name="isExplicit">Whether the user gave an option (a flag on the command line).</param>
    public TrainingOptions ApplyTo(TrainingOptions options, Func<TrainingOption, bool> isExplicit)
    {
        var given = options;
        foreach (var option in TrainingOptionTable.Searched)
        {
            bool userGave = isExplicit(option);
            options = options.With(option, OptionPrecedence.Pick(userGave, given.Values().First(v => v.Option == option).Value, Holds(option), ValueOf(option)));
            // A searched value also clears the option that would win over it (the warm-up steps over the ratio), unless the user gave that one.
            if (option.OverriddenBy is { } winner && OptionPrecedence.SourceOf(userGave, Holds(option)) == OptionSource.Searched && !isExplicit(winner))
                options = options.With(winner, null);
        }
        return options;
    }

    /// <summary>Whether the file holds a value for <paramref name="option"/>: always, but for an unrecorded maximum length (null).</summary>
    bool Holds(TrainingOption option) => option != TrainingOptionTable.MaxLength || MaxLength is not null;

    /// <summary>This configuration's value of a row of <see cref="TrainingOptionTable.Searched"/>.</summary>
    double? ValueOf(TrainingOption option) => option.Name switch
    {
        nameof(MaxLength) => MaxLength,
        nameof(LearningRate) => LearningRate,
        nameof(Epochs) => Epochs,
        nameof(BatchSize) => BatchSize,
        nameof(WarmupRatio) => WarmupRatio,
        nameof(WeightDecay) => WeightDecay,
        nameof(LayerwiseLearningRateDecay) => LayerwiseLearningRateDecay,
        nameof(TrainingOptions.LabelSmoothingFactor) => LabelSmoothing,
        nameof(Seed) => Seed,
        nameof(GroupByLength) => GroupByLength ? 1 : 0,
        nameof(EmaDecay) => EmaDecay,
        nameof(AverageLastEpochs) => AverageLastEpochs,
        _ => throw new InvalidOperationException($"BestConfiguration has no property for the table's row {option.Name}"),
    };

    /// <summary>The row of <see cref="TrainingOptionTable.Searched"/> a property holds (the properties are named as the rows, but one).</summary>
    static TrainingOption? RowOf(string property) => property == nameof(LabelSmoothing) ? TrainingOptionTable.LabelSmoothingFactor
        : TrainingOptionTable.Searched.FirstOrDefault(row => row.Name == property);

    /// <summary>Writes and reads each option under its row's <see cref="TrainingOption.JsonKey"/>: the table alone spells those keys.</summary>
    static void NameOptionsByTheirRows(JsonTypeInfo info)
    {
        if (info.Type != typeof(BestConfiguration)) return;
        foreach (var property in info.Properties)
            if (property.AttributeProvider is MemberInfo member && RowOf(member.Name) is { JsonKey: { } key }) property.Name = key;
    }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { NameOptionsByTheirRows } },
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
        // System.Text.Json leaves a null in a required text, reads 1e400 as infinity and takes any number as the pooling; the build-time
        // reader refuses all three too.
        if (configuration.Model is null || configuration.Metric is null)
            throw new InvalidDataException($"{path}: \"{(configuration.Model is null ? BestConfigurationFormat.Model : BestConfigurationFormat.Metric)}\" is null, not a text");
        foreach (var (name, number) in TrainingOptionTable.Searched.Select(row => (row.JsonKey!, configuration.ValueOf(row))).Prepend((BestConfigurationFormat.Value, configuration.Value)))
            if (number is double value && !double.IsFinite(value)) throw new InvalidDataException($"{path}: \"{name}\" is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number");
        if (configuration.Pooling is { } pooling && !Enum.IsDefined(pooling))
            throw new InvalidDataException($"{path}: \"{BestConfigurationFormat.Pooling}\" is {(int)pooling}, not a pooling strategy ({string.Join(", ", Enum.GetNames<PoolingStrategy>())})");
        return configuration;
    }
}
