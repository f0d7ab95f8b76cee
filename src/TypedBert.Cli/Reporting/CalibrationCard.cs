using System.Globalization;
using System.Text;
using TypedBert.Calibration;
using TypedBert.Serialization;

namespace TypedBert.Cli.Reporting;

/// <summary>What calibration adds beside a model (<c>typedbert calibrate</c>, <c>train --calibrate</c>): reliability.png and a section of its card.</summary>
internal static class CalibrationCard
{
    /// <summary>A temperature: the reliability diagram before and after, and the ECE and NLL table.</summary>
    public static void Write(string folder, CalibrationReport report, string dataName)
    {
        PlotPictures.WritePng(ReliabilityDiagram(report), Path.Combine(folder, "reliability.png"), 640, 480);
        Append(folder, new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"\n## Calibration\n\nTemperature scaling fitted on {report.Rows} held-out rows of `{dataName}`: T = {report.Temperature:0.000}, applied to the logits before the softmax (`typedbert_temperature` in config.json).\n\n")
            .Append("| | ECE (15 bins) | NLL |\n| --- | --- | --- |\n")
            .Append(CultureInfo.InvariantCulture, $"| before | {report.EceBefore:0.0000} | {report.NllBefore:0.0000} |\n| after | {report.EceAfter:0.0000} | {report.NllAfter:0.0000} |\n\n")
            .Append(CultureInfo.InvariantCulture, $"Accuracy {report.Accuracy:P2}, unchanged. ![reliability diagram](reliability.png)\n"));
    }

    /// <summary>Per-label thresholds: a table of the labels with their threshold and F1 before and after.</summary>
    public static void Write(string folder, ThresholdReport report, string dataName)
    {
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"\n## Calibration\n\nA decision threshold per label, chosen on {report.Rows} held-out rows of `{dataName}` to maximise the label's F1 (ties go to 0.5; `typedbert_thresholds` in config.json). F1 after is measured on the same rows, so it is optimistic.\n\n")
            .Append("| label | rows with it | threshold | F1 before | F1 after |\n| --- | --- | --- | --- | --- |\n");
        foreach (var label in report.Labels)
            text.Append(CultureInfo.InvariantCulture, $"| {label.Label} | {label.Positives} | {label.Threshold:0.###} | {label.F1Before:0.0000} | {label.F1After:0.0000} |\n");
        text.Append(CultureInfo.InvariantCulture, $"\nMicro F1 {report.MicroF1Before:0.0000} -> {report.MicroF1After:0.0000}, macro F1 {report.MacroF1Before:0.0000} -> {report.MacroF1After:0.0000}.\n");
        Append(folder, text);
    }

    /// <summary>The one line the commands print for a temperature.</summary>
    public static string Summary(CalibrationReport report) => string.Create(CultureInfo.InvariantCulture,
        $"temperature {report.Temperature:0.000} on {report.Rows} rows: ECE (15 bins) {report.EceBefore:0.0000} -> {report.EceAfter:0.0000}, NLL {report.NllBefore:0.0000} -> {report.NllAfter:0.0000}, accuracy {report.Accuracy:P2} (unchanged)");

    /// <summary>The lines the commands print for thresholds.</summary>
    public static string Summary(ThresholdReport report) => string.Create(CultureInfo.InvariantCulture,
        $"thresholds on {report.Rows} rows: {string.Join(", ", report.Labels.Select(l => $"{l.Label} {l.Threshold:0.###} (F1 {l.F1Before:0.000} -> {l.F1After:0.000})"))}; micro F1 {report.MicroF1Before:0.0000} -> {report.MicroF1After:0.0000}");

    static void Append(string folder, StringBuilder section)
    {
        string card = Path.Combine(folder, "README.md");
        AtomicFile.WriteAllText(card, (File.Exists(card) ? File.ReadAllText(card) : "") + section);
    }

    static ScottPlot.Plot ReliabilityDiagram(CalibrationReport report)
    {
        var plot = PlotPictures.New("Reliability (15 bins)", "confidence", "accuracy");
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LegendText = "perfect calibration";
        diagonal.LinePattern = ScottPlot.LinePattern.Dotted;
        foreach (var (bins, name) in new[] { (report.Before, $"before (ECE {report.EceBefore:0.000})"), (report.After, $"T = {report.Temperature:0.00} (ECE {report.EceAfter:0.000})") })
        {
            var used = bins.Where(b => b.Count > 0).ToList();
            var line = plot.Add.Scatter(used.Select(b => b.Confidence).ToArray(), used.Select(b => b.Accuracy).ToArray());
            line.LegendText = name;
            line.MarkerSize = 7;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        return plot;
    }
}
