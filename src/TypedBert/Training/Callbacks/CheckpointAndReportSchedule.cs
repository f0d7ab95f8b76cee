namespace TypedBert.Training.Callbacks;

/// <summary>
/// When the loop writes checkpoints and reports progress (transformers' <c>DefaultFlowCallback</c>): a checkpoint every
/// <see cref="TrainingOptions.SaveSteps"/> optimizer steps and after every epoch when <see cref="TrainingOptions.CheckpointDirectory"/>
/// is set; a report every <see cref="TrainingOptions.LoggingSteps"/> steps and at every epoch's end. An epoch's last step is saved and
/// reported with the epoch's end, which carries the evaluation and the best-epoch decision.
/// </summary>
internal sealed class CheckpointAndReportSchedule : ITrainingCallback
{
    public void OnStepEnd(TrainingContext context, TrainerControl control, bool lastOfEpoch)
    {
        if (lastOfEpoch) return;
        int step = context.Run.Step;
        if (context.Options.SaveSteps is int every && step % every == 0) control.ShouldSave = true;
        if (step % context.Options.LoggingSteps == 0) control.ShouldLog = true;
    }

    public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch)
    {
        if (context.Options.CheckpointDirectory is not null) control.ShouldSave = true;
        control.ShouldLog = true;
    }
}
