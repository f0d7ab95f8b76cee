using TypedBert.Cli.Reporting;
using TypedBert.Cli.Terminal;
using TypedBert.Training;

namespace TypedBert.Tests.Cli;

public class PlainProgressViewTests
{
    static TrainingProgress Report(int step, EvaluationResult? evaluation = null) =>
        new(step, 12, (step - 1) / 4 + 1, 3, 0.5, 1e-5, 30, TimeSpan.FromSeconds(step), TimeSpan.FromSeconds(12 - step)) { Evaluation = evaluation };

    [Fact]
    public void Training_prints_the_first_report_then_one_line_per_interval_and_every_epoch_end()
    {
        var now = TimeSpan.Zero;
        var writer = new StringWriter();
        var view = new PlainProgressView(writer, () => now) { Interval = TimeSpan.FromSeconds(5) };
        var evaluation = TrainingRuns.Run().Epochs[0].Evaluation;
        view.Train(progress =>
        {
            foreach (int step in new[] { 1, 2, 3 })
            {
                now += TimeSpan.FromSeconds(2);   // steps 1 (first), 2 and 3 (within 5 s of step 1)
                progress.Report(Report(step));
            }
            progress.Report(Report(4, evaluation));   // epoch end: printed although only 2 s passed
            now += TimeSpan.FromSeconds(6);
            progress.Report(Report(5));               // 6 s after the last line
            return 0;
        });
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("epoch 1/3  step 1/12  loss 0.5000", lines[0]);
        Assert.Contains("step 4/12", lines[1]);
        Assert.Contains("eval: loss 0.6500", lines[1]);
        Assert.StartsWith("epoch 2/3  step 5/12", lines[2]);
        Assert.DoesNotContain("\u001b", writer.ToString(), StringComparison.Ordinal);   // no terminal escapes in a log
    }

    [Fact]
    public void Counting_prints_the_total_progress_lines_and_the_end()
    {
        var now = TimeSpan.Zero;
        var writer = new StringWriter();
        var view = new PlainProgressView(writer, () => now) { Interval = TimeSpan.FromSeconds(5) };
        int result = view.Count("evaluating", 100, progress =>
        {
            for (int done = 10; done <= 100; done += 10)
            {
                now += TimeSpan.FromSeconds(3);
                progress.Report(done);
            }
            return 7;
        });
        Assert.Equal(7, result);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("evaluating: 100", lines[0]);
        Assert.Equal(["evaluating: 20/100 (20 %)", "evaluating: 40/100 (40 %)", "evaluating: 60/100 (60 %)", "evaluating: 80/100 (80 %)"], lines[1..^1]);
        Assert.StartsWith("evaluating: 100/100 done in 0:30", lines[^1]);
    }

    [Fact]
    public void The_training_log_keeps_each_step_once_and_passes_reports_on()
    {
        var log = new TrainingLog();
        var passed = new List<int>();
        var sink = log.Recording(new SynchronousProgress<TrainingProgress>(p => passed.Add(p.Step)));
        sink.Report(Report(1));
        sink.Report(Report(2));
        sink.Report(Report(2));
        Assert.Equal([1, 2], log.Steps.Select(s => s.Step));
        Assert.Equal([1, 2, 2], passed);
        Assert.Equal(1e-5, log.Steps[0].LearningRate);
    }
}
