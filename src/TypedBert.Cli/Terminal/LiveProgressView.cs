using System.Globalization;
using Spectre.Console;
using TypedBert.Training;

namespace TypedBert.Cli.Terminal;

/// <summary>Live progress bars (Spectre.Console) on a terminal: one bar per epoch, one for evaluation or prediction.</summary>
internal sealed class LiveProgressView(IAnsiConsole console) : IProgressView
{
    public T Train<T>(Func<IProgress<TrainingProgress>, T> train)
    {
        var figures = new FiguresColumn();
        return NewProgress(figures).Start(context =>
        {
            ProgressTask? bar = null;
            int epoch = 0;
            return train(new SynchronousProgress<TrainingProgress>(p =>
            {
                if (bar is null || p.Epoch != epoch)
                {
                    bar?.StopTask();
                    epoch = p.Epoch;
                    bar = context.AddTask($"epoch {p.Epoch}/{p.Epochs}", maxValue: ProgressText.StepsPerEpoch(p));
                }
                bar.Value = ProgressText.StepInEpoch(p);
                string steps = $"step {p.Step}/{p.TotalSteps}  ";
                figures.Set(bar, p.Evaluation is null ? steps + ProgressText.Figures(p) : $"{steps}loss {Commands.Report.F(p.Loss)}  eval: {p.Evaluation}");
                if (ProgressText.EndsEpoch(p)) bar.StopTask();
            }));
        });
    }

    public T Count<T>(string title, int total, Func<IProgress<int>, T> work)
    {
        var figures = new FiguresColumn();
        return NewProgress(figures, new ElapsedTimeColumn(), new RemainingTimeColumn()).Start(context =>
        {
            var bar = context.AddTask(title, maxValue: Math.Max(1, total));
            figures.Set(bar, $"0/{total}");
            var result = work(new SynchronousProgress<int>(done =>
            {
                bar.Value = done;
                figures.Set(bar, $"{done.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)}");
            }));
            bar.Value = bar.MaxValue;
            figures.Set(bar, $"{total}/{total}");
            bar.StopTask();
            return result;
        });
    }

    Progress NewProgress(FiguresColumn figures, params ProgressColumn[] more) =>
        console.Progress().AutoClear(false).HideCompleted(false)
            .Columns([new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), figures, .. more]);
}
