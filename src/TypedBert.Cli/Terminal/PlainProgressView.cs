using System.Diagnostics;
using System.Globalization;
using TypedBert.Training;

namespace TypedBert.Cli.Terminal;

/// <summary>
/// Progress as plain lines for logs and pipes: the first report, then at most one line per <see cref="Interval"/>,
/// and always the report that ends an epoch or the work. No cursor movement, no colour.
/// </summary>
internal sealed class PlainProgressView(TextWriter writer, Func<TimeSpan>? clock = null) : IProgressView
{
    readonly Func<TimeSpan> clock = clock ?? StartClock();

    /// <summary>Least time between two lines that no epoch end forces.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    public T Train<T>(Func<IProgress<TrainingProgress>, T> train)
    {
        TimeSpan? last = null;
        return train(new SynchronousProgress<TrainingProgress>(p =>
        {
            var now = clock();
            if (last is { } previous && now - previous < Interval && !ProgressText.EndsEpoch(p)) return;
            last = now;
            writer.WriteLine(ProgressText.Line(p));
            writer.Flush();
        }));
    }

    public T Count<T>(string title, int total, Func<IProgress<int>, T> work)
    {
        var started = clock();
        var last = started;
        writer.WriteLine($"{title}: {total.ToString(CultureInfo.InvariantCulture)}");
        writer.Flush();
        var result = work(new SynchronousProgress<int>(done =>
        {
            var now = clock();
            if (now - last < Interval || done >= total) return;
            last = now;
            writer.WriteLine($"{title}: {done}/{total} ({100.0 * done / Math.Max(1, total):0} %)");
            writer.Flush();
        }));
        writer.WriteLine($"{title}: {total}/{total} done in {Commands.Report.Duration(clock() - started)}");
        writer.Flush();
        return result;
    }

    static Func<TimeSpan> StartClock()
    {
        var watch = Stopwatch.StartNew();
        return () => watch.Elapsed;
    }
}
