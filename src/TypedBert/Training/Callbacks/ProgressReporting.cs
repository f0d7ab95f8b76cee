namespace TypedBert.Training.Callbacks;

/// <summary>
/// Reports <see cref="TrainingProgress"/> when the loop asks for a report (see <see cref="CheckpointAndReportSchedule"/>): after a step
/// with the mean loss of the micro-batches since the last report, and at an epoch's end with the evaluation.
/// </summary>
internal sealed class ProgressReporting(IProgress<TrainingProgress>? progress) : ITrainingCallback
{
    double windowLoss;
    int windowBatches;

    public void OnEpochBegin(TrainingContext context)
    {
        windowLoss = 0;
        windowBatches = 0;
    }

    public void OnBatchEnd(TrainingContext context, float loss)
    {
        windowLoss += loss;
        windowBatches++;
    }

    public void OnLog(TrainingContext context, EpochEnd? epoch)
    {
        if (epoch is null)
        {
            progress?.Report(Report(context, windowLoss / windowBatches));
            windowLoss = 0;
            windowBatches = 0;
            return;
        }
        double loss = windowBatches == 0 ? context.Run.EpochLossSum / Math.Max(1, epoch.Batches) : windowLoss / windowBatches;
        progress?.Report(Report(context, loss) with { Evaluation = epoch.Evaluation });
    }

    static TrainingProgress Report(TrainingContext context, double loss)
    {
        var run = context.Run;
        var training = context.Training;
        int total = context.TotalSteps;
        double perSecond = run.ExamplesSeen / Math.Max(training.TotalSeconds, 1e-9);
        var remaining = run.Step == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(training.TotalSeconds / run.Step * (total - run.Step));
        return new TrainingProgress(run.Step, total, run.Epoch, context.Options.Epochs, loss, run.LearningRate, perSecond, context.Elapsed, remaining);
    }
}
