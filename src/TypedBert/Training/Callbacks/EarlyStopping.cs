namespace TypedBert.Training.Callbacks;

/// <summary>
/// Stops after <see cref="TrainingOptions.EarlyStoppingPatience"/> evaluated epochs in a row without improvement, as judged at the
/// epoch's evaluation (<see cref="TrainerControl.IsNewBest"/>, decided by <see cref="BestModelTracking"/>).
/// </summary>
internal sealed class EarlyStopping : ITrainingCallback
{
    public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch)
    {
        if (epoch.Evaluation is null || control.IsNewBest) return;
        // Without patience the counter stays as it is: checkpoints record it, and a run without patience has always written 0.
        if (context.Options.EarlyStoppingPatience is int patience && ++context.Run.EpochsSinceImprovement >= patience)
            control.ShouldTrainingStop = true;
    }
}
