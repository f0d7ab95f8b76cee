using TypedBert.Training;
using TypedBert.Training.Callbacks;

namespace TypedBert.Search;

/// <summary>
/// Connects a trial's training to the study: after every evaluated epoch it reports the objective value and, unless the epoch was the
/// last, asks the pruner whether to go on; a pruned trial ends through the loop's early stop, so the trainer finishes and cleans up as
/// after any early stop (a trial that ran all its epochs counts as complete).
/// </summary>
internal sealed class PruningCallback(TrialRun trial, Func<EvaluationResult, double> objective) : ITrainingCallback
{
    public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch)
    {
        if (epoch.Evaluation is null) return;
        trial.Report(context.Run.Epoch, objective(epoch.Evaluation));
        if (context.Run.Epoch < context.Options.Epochs && !control.ShouldTrainingStop && trial.ShouldPrune()) control.ShouldTrainingStop = true;
    }
}
