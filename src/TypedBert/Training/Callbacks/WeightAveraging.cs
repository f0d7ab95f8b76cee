using TypedBert.Training.Averaging;

namespace TypedBert.Training.Callbacks;

/// <summary>
/// Evaluates, keeps and saves an average of the weights instead of the last ones: an exponential moving average updated after every
/// optimizer step (<see cref="TrainingOptions.EmaDecay"/>), or the mean of the weights at the ends of the last epochs
/// (<see cref="TrainingOptions.AverageLastEpochs"/>, stochastic weight averaging).
/// </summary>
/// <remarks>
/// The training weights go on training; the average is put into the model when an epoch's training ends, so that the evaluation, the
/// best-model snapshot, the epoch's checkpoint (<c>model.safetensors</c>, a loadable model folder) and, after the last epoch, the
/// trained classifier all see it; the training weights come back before the next epoch's first batch. Each checkpoint also holds
/// <see cref="FileName"/>: the average, its update count and, at an epoch's end, the training weights set aside, so that a resumed
/// run continues both exactly. Runs first among the callbacks, so that every other sees a step already in the average.
/// </remarks>
internal sealed class WeightAveraging : ITrainingCallback
{
    /// <summary>The file in each checkpoint that holds the average.</summary>
    public const string FileName = "weight_average.safetensors";

    WeightAverage? average;

    /// <summary>The callback <paramref name="options"/> ask for, or null when they average nothing.</summary>
    public static WeightAveraging? For(TrainingOptions options) =>
        options.EmaDecay is not null || options.AverageLastEpochs is not null ? new WeightAveraging() : null;

    /// <summary>How the fingerprint of a checkpoint describes the averaging of <paramref name="options"/> (null: none).</summary>
    public static string? Describe(TrainingOptions options) =>
        options.EmaDecay is double decay ? $"ema {decay.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}{(options.EmaWarmup ? " warmup" : "")}"
        : options.AverageLastEpochs is int epochs ? $"mean of the last {epochs} epochs"
        : null;

    WeightAverage Average(TrainingContext context) => average ??= context.Options.EmaDecay is double decay
        ? new ExponentialMovingAverage(context.Classifier.Model, decay, context.Options.EmaWarmup)
        : new EpochAverage(context.Classifier.Model);

    public void OnLoadCheckpoint(TrainingContext context, string folder)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new InvalidOperationException($"cannot resume from {folder}: {FileName} is missing, so the weight average would start over; resume without averaging or start a new run");
        Average(context).Load(path);
    }

    public void OnTrainBegin(TrainingContext context) => Average(context);

    public void OnEpochBegin(TrainingContext context) => average!.SwapOut();

    public void OnStepEnd(TrainingContext context, TrainerControl control, bool lastOfEpoch)
    {
        if (average is ExponentialMovingAverage ema) ema.Update();
    }

    public void OnEpochTrainingEnd(TrainingContext context)
    {
        if (average is EpochAverage epochs && context.Run.Epoch > context.Options.Epochs - context.Options.AverageLastEpochs!.Value) epochs.Add();
        // Before the first averaged epoch the epoch average holds nothing yet, and the run is judged on its training weights.
        if (average!.Updates > 0) average.SwapIn();
    }

    public void OnSaveCheckpoint(TrainingContext context, string folder) => average!.Save(Path.Combine(folder, FileName));

    public void OnCleanup(TrainingContext context)
    {
        average?.Dispose();
        average = null;
    }
}
