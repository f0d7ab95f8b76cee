using TypedBert.Cli.Terminal;
using TypedBert.Training;

namespace TypedBert.Cli.Reporting;

/// <summary>
/// The loss and learning rate of every reported step. <see cref="TrainingResult"/> keeps per-epoch figures only;
/// the curves in the plots need the steps in between, which the trainer reports through its progress callback.
/// </summary>
internal sealed class TrainingLog
{
    readonly List<LoggedStep> steps = [];

    /// <summary>The logged steps, in order.</summary>
    public IReadOnlyList<LoggedStep> Steps => steps;

    /// <summary>Adds the step of <paramref name="report"/>; a second report of the same step is ignored.</summary>
    public void Record(TrainingProgress report)
    {
        if (steps.Count > 0 && steps[^1].Step >= report.Step) return;
        steps.Add(new LoggedStep(report.Step, report.Epoch, report.Loss, report.LearningRate));
    }

    /// <summary>A progress sink that records each report, then passes it on to <paramref name="next"/>.</summary>
    public IProgress<TrainingProgress> Recording(IProgress<TrainingProgress> next) =>
        new SynchronousProgress<TrainingProgress>(report =>
        {
            Record(report);
            next.Report(report);
        });
}
