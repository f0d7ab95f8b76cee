namespace TypedBert.Training.Callbacks;

/// <summary>
/// Stops after <see cref="TrainingOptions.EarlyStoppingPatience"/> evaluated epochs in a row without improvement; runs after
/// <see cref="BestModelTracking"/>, which decides what improved.
/// </summary>
internal sealed class EarlyStopping : ITrainingCallback
{
    public void OnEpochEnd(TrainingContext context, EpochEnd epoch)
    {
        if (epoch.Evaluation is null || epoch.Improved) return;
        // Without patience the counter stays as it is: checkpoints record it, and a run without patience has always written 0.
        if (context.Options.EarlyStoppingPatience is int patience && ++context.Run.EpochsSinceImprovement >= patience)
            context.Run.StoppedEarly = true;
    }
}
