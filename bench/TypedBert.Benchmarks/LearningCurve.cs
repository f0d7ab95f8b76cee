using ScottPlot;
using TypedBert.Cli.Reporting;

namespace TypedBert.Benchmarks;

/// <summary>
/// The learning-curve picture of <c>label-efficiency</c>: test accuracy against the number of labelled examples, one line per method,
/// drawn with the CLI's plotting code (<see cref="PlotPictures"/>, linked into the bench).
/// </summary>
internal static class LearningCurve
{
    /// <summary>A method's measured points: labels in all (0 for zero-shot) and the mean test accuracy over the seeds.</summary>
    public sealed record Line(string Method, List<(int Labels, double Accuracy)> Points);

    /// <summary>Writes <paramref name="path"/>; methods without a point are left out.</summary>
    public static void Write(string path, string title, string yLabel, IEnumerable<Line> lines)
    {
        PlotFonts.Ensure();
        var plot = PlotPictures.New(title, "labelled examples in all (0: descriptions only)", yLabel);
        var ticks = new SortedSet<int>();
        foreach (var line in lines.Where(l => l.Points.Count > 0))
        {
            var points = line.Points.OrderBy(p => p.Labels).ToList();
            var scatter = plot.Add.Scatter(points.Select(p => (double)p.Labels).ToArray(), points.Select(p => p.Accuracy).ToArray());
            scatter.LegendText = line.Method;
            scatter.MarkerSize = 8;
            foreach (var p in points) ticks.Add(p.Labels);
        }
        if (ticks.Count > 0)
        {
            plot.Axes.Bottom.SetTicks([.. ticks.Select(t => (double)t)], [.. ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            double span = Math.Max(1, ticks.Max - ticks.Min);
            plot.Axes.SetLimitsX(ticks.Min - span * 0.05, ticks.Max + span * 0.05);
        }
        plot.ShowLegend(Alignment.UpperCenter); // the points sit at the left and right edges
        PlotPictures.WritePng(plot, path, 900, 560);
    }
}
