using TypedBert.Classification;
using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>
/// The training hyperparameters a <see cref="HyperparameterSearch"/> can vary, by name, and how a trial's values become
/// <see cref="TrainingOptions"/> and a pooling strategy. A dimension may be of any type whose values fit the option: learning rates and
/// ratios are real numbers, epochs, batch sizes and seeds whole numbers (a range or choices), pooling one of the strategies' names.
/// </summary>
public static class TrainingSearchSpace
{
    // A dimension's name is the best.json property its value is written under: its row's JsonKey in TrainingOptionTable (a test
    // holds the two together; they are constants here so that a search space can name them in a switch or an attribute).
    /// <summary><see cref="TrainingOptions.LearningRate"/>.</summary>
    public const string LearningRate = "learning_rate";
    /// <summary><see cref="TrainingOptions.Epochs"/>.</summary>
    public const string Epochs = "epochs";
    /// <summary><see cref="TrainingOptions.BatchSize"/>.</summary>
    public const string BatchSize = "batch_size";
    /// <summary><see cref="TrainingOptions.WarmupRatio"/>.</summary>
    public const string WarmupRatio = "warmup_ratio";
    /// <summary><see cref="TrainingOptions.WeightDecay"/>.</summary>
    public const string WeightDecay = "weight_decay";
    /// <summary><see cref="TrainingOptions.LayerwiseLearningRateDecay"/>.</summary>
    public const string LayerwiseLearningRateDecay = "layer_lr_decay";
    /// <summary>Renamed <see cref="LayerwiseLearningRateDecay"/>, as <see cref="TrainingOptions"/> names it.</summary>
    [Obsolete("use TrainingSearchSpace.LayerwiseLearningRateDecay", error: true)]
    public const string LayerLearningRateDecay = LayerwiseLearningRateDecay;
    /// <summary><see cref="TrainingOptions.LabelSmoothingFactor"/>.</summary>
    public const string LabelSmoothing = "label_smoothing";
    /// <summary>The classifier's <see cref="PoolingStrategy"/>, by name.</summary>
    public const string Pooling = BestConfigurationFormat.Pooling;
    /// <summary><see cref="TrainingOptions.Seed"/>, which also seeds the new head.</summary>
    public const string Seed = "seed";

    /// <summary>Every name a dimension may have.</summary>
    public static IReadOnlyList<string> Names { get; } = [LearningRate, Epochs, BatchSize, WarmupRatio, WeightDecay, LayerwiseLearningRateDecay, LabelSmoothing, Pooling, Seed];

    /// <summary>
    /// A starting space around the recipes of docs/results.md: learning rate 1e-5 to 2e-4 on a log scale, 2 to 4 epochs, batches of 16
    /// or 32, warm-up ratio 0 to 0.2, weight decay 0 to 0.1, layer-wise decay 0.8 to 1, label smoothing 0 to 0.15 (single-label only),
    /// seed 42, pooling as the model recommends.
    /// </summary>
    public static SearchSpace Default(ProblemType problemType = ProblemType.SingleLabel) => new(
    [
        new LogUniformDimension(LearningRate, 1e-5, 2e-4),
        new IntDimension(Epochs, 2, 4),
        new CategoricalDimension(BatchSize, ["16", "32"]),
        new UniformDimension(WarmupRatio, 0, 0.2),
        new UniformDimension(WeightDecay, 0, 0.1),
        new UniformDimension(LayerwiseLearningRateDecay, 0.8, 1),
        new UniformDimension(LabelSmoothing, 0, problemType == ProblemType.SingleLabel ? 0.15 : 0),
        new IntDimension(Seed, TrainingDefaults.Seed, TrainingDefaults.Seed),
    ]);

    /// <summary>
    /// <paramref name="baseOptions"/> with the values of <paramref name="parameters"/> for the options they name, each through its row of
    /// <see cref="TrainingOptionTable"/>; a value also clears the option that would win over it (<see cref="TrainingOption.OverriddenBy"/>:
    /// a searched warm-up ratio clears warm-up steps).
    /// </summary>
    public static TrainingOptions Apply(TrialParameters parameters, TrainingOptions baseOptions)
    {
        var options = baseOptions;
        foreach (var name in parameters.Keys)
        {
            if (RowOf(name) is not { } row) continue; // the pooling, or a name that is no option
            options = options.With(row, row.Kind == OptionKind.Real ? parameters.Double(name) : parameters.Int(name));
            if (row.OverriddenBy is { } winner) options = options.With(winner, null);
        }
        return options;
    }

    /// <summary>The row of <see cref="TrainingOptionTable"/> a dimension named <paramref name="name"/> sets; null for the pooling.</summary>
    internal static TrainingOption? RowOf(string name) =>
        Names.Contains(name) ? TrainingOptionTable.Searched.FirstOrDefault(row => row.JsonKey == name) : null;

    /// <summary>The pooling strategy <paramref name="parameters"/> choose, or null when they leave it to the model.</summary>
    public static PoolingStrategy? PoolingOf(TrialParameters parameters) =>
        parameters.ContainsKey(Pooling) ? ParsePooling(parameters.Text(Pooling)) : null;

    static PoolingStrategy ParsePooling(string name) =>
        Enum.TryParse<PoolingStrategy>(name, ignoreCase: true, out var pooling) && Enum.IsDefined(pooling) ? pooling
        : throw new ArgumentException($"is not a pooling strategy (known: {string.Join(", ", Enum.GetNames<PoolingStrategy>())})");

    /// <summary>
    /// Checks, before any trial, that every dimension names a training hyperparameter and that each of its bounding values, on top of
    /// <paramref name="baseOptions"/>, gives valid options for <paramref name="problemType"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The message names the dimension, the value and the fix.</exception>
    public static void Validate(SearchSpace space, TrainingOptions baseOptions, ProblemType problemType)
    {
        space.Validate();
        if (space.Dimensions.FirstOrDefault(d => !Names.Contains(d.Name)) is { } unknown)
            throw new ArgumentException($"search space: {unknown.Name} is not a training hyperparameter (known: {string.Join(", ", Names)})");
        // One dimension at a time on top of the base options, so that an error names the dimension that causes it.
        foreach (var dimension in space.Dimensions)
            foreach (var value in dimension.Extremes)
            {
                var parameters = new TrialParameters([new KeyValuePair<string, object>(dimension.Name, value)]);
                try
                {
                    if (dimension.Name == Pooling) ParsePooling(parameters.Text(Pooling));
                    var options = Apply(parameters, baseOptions);
                    options.Validate();
                    if (options.LabelSmoothingFactor > 0 && problemType != ProblemType.SingleLabel)
                        throw new ArgumentException($"label smoothing applies to single-label classification; this is {problemType}, so keep it at 0");
                }
                catch (Exception e) when (e is ArgumentException or FormatException)
                {
                    throw new ArgumentException($"search space: {dimension.Name} = {TrialParameters.Format(value)}: {e.Message}", e);
                }
            }
    }
}
