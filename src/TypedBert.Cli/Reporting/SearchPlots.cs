using ScottPlot;
using TypedBert.Search;

namespace TypedBert.Cli.Reporting;

/// <summary>
/// The pictures of a hyperparameter search, written as PNG files beside its state, with the same plotting library and fonts as the
/// training plots: each trial's value with the best so far, and every trial's evaluation per epoch (where pruning shows). Each file is
/// written atomically.
/// </summary>
internal sealed class SearchPlots
{
    /// <summary>The objective value of each trial (pruned trials at their last value) and the running best.</summary>
    public const string TrialsFile = "trials.png";
    /// <summary>Each trial's evaluation after every epoch; pruned trials dashed, the best one thick.</summary>
    public const string CurvesFile = "learning_curves.png";

    /// <summary>Width of each picture in pixels.</summary>
    public int Width { get; init; } = 900;

    /// <summary>Height of each picture in pixels.</summary>
    public int Height { get; init; } = 540;

    /// <summary>Writes both plots of <paramref name="result"/> into <paramref name="folder"/> and returns their paths (none without trials).</summary>
    public IReadOnlyList<string> Write(string folder, SearchResult result)
    {
        if (result.Trials.Count == 0) return [];
        PlotFonts.Ensure();
        var written = new List<string>();
        foreach (var (file, plot) in new[] { (TrialsFile, TrialsPlot(result)), (CurvesFile, CurvesPlot(result)) })
        {
            string path = Path.Combine(folder, file);
            PlotPictures.WritePng(plot, path, Width, Height);
            written.Add(path);
        }
        return written;
    }

    static Plot TrialsPlot(SearchResult result)
    {
        var plot = PlotPictures.New($"Trials ({result.MetricName} on the evaluation data, {(result.Direction == StudyDirection.Maximize ? "higher" : "lower")} is better)", "trial", result.MetricName);
        var complete = result.Trials.Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v)).ToList();
        var pruned = result.Trials.Where(t => t.State == TrialState.Pruned && t.Intermediate.Count > 0).ToList();
        if (complete.Count > 0)
        {
            var points = plot.Add.Scatter(complete.Select(t => (double)t.Number).ToArray(), complete.Select(t => t.Value!.Value).ToArray());
            points.LegendText = "complete (best epoch)";
            points.LineWidth = 0;
            points.MarkerSize = 10;
            var running = RunningBest(result);
            var best = plot.Add.Scatter(running.Select(p => p.Trial).ToArray(), running.Select(p => p.Value).ToArray());
            best.LegendText = "best so far";
            best.ConnectStyle = ConnectStyle.StepHorizontal;
            best.MarkerSize = 0;
            best.LineWidth = 2;
        }
        if (pruned.Count > 0)
        {
            var points = plot.Add.Scatter(pruned.Select(t => (double)t.Number).ToArray(), pruned.Select(t => t.Intermediate[^1].Value).ToArray());
            points.LegendText = "pruned (last value)";
            points.LineWidth = 0;
            points.MarkerSize = 10;
            points.MarkerShape = MarkerShape.OpenCircle;
        }
        var numbers = result.Trials.Select(t => (double)t.Number).ToArray();
        // Label every trial while they fit; past 30 the automatic ticks read better.
        if (numbers.Length <= 30) plot.Axes.Bottom.SetTicks(numbers, [.. result.Trials.Select(t => t.Number.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(numbers.Min() - 0.5, numbers.Max() + 0.5); // half a trial of margin, so the first and last points are not cut
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    static List<(double Trial, double Value)> RunningBest(SearchResult result)
    {
        var points = new List<(double, double)>();
        double? best = null;
        foreach (var trial in result.Trials)
        {
            if (trial.State == TrialState.Complete && trial.Value is double v && double.IsFinite(v)
                && (best is null || (result.Direction == StudyDirection.Maximize ? v > best : v < best))) best = v;
            if (best is double b) points.Add((trial.Number, b));
        }
        return points;
    }

    static Plot CurvesPlot(SearchResult result)
    {
        var plot = PlotPictures.New($"Evaluation per epoch ({result.MetricName}); pruned trials dashed", "epoch", result.MetricName);
        var best = result.Best;
        int maxStep = 1;
        foreach (var trial in result.Trials.Where(t => t.Intermediate.Count > 0))
        {
            var values = trial.Intermediate.Where(v => double.IsFinite(v.Value)).ToList();
            if (values.Count == 0) continue;
            var line = plot.Add.Scatter(values.Select(v => (double)v.Step).ToArray(), values.Select(v => v.Value).ToArray());
            bool isBest = trial.Number == best?.Number;
            line.LegendText = isBest ? $"trial {trial.Number} (best)" : result.Trials.Count <= 12 ? $"trial {trial.Number}" : "";
            line.LineWidth = isBest ? 4 : 1.5f;
            line.MarkerSize = 6;
            if (trial.State != TrialState.Complete) line.LinePattern = LinePattern.Dashed;
            maxStep = Math.Max(maxStep, values[^1].Step);
        }
        var ticks = Enumerable.Range(1, maxStep).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(ticks, [.. ticks.Select(t => t.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimitsX(0.75, maxStep + 0.25);
        plot.ShowLegend(Edge.Right); // beside the curves, which it would otherwise cover
        return plot;
    }
}
