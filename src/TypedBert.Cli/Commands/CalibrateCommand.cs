using System.CommandLine;
using System.Globalization;
using System.Text;
using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Cli.Reporting;
using TypedBert.Data;
using TypedBert.Serialization;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert calibrate</c>: fits the temperature of a single-label classifier on held-out rows, writes it into the model's
/// config.json (so every engine, the server and the typed API apply it), and adds the ECE and a reliability diagram to its card.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder to calibrate (its config.json is rewritten)", Required = true };
        var data = new Option<string>("--data") { Description = $"Held-out labelled file the model was not trained on (.tsv, .csv, .jsonl), at least {TextClassifierCalibration.MinRows} rows", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report the temperature and ECE without writing anything" };
        var dataOptions = new DataOptions();
        var command = new Command("calibrate", "Fit a temperature on held-out data so that the scores match the accuracy (single-label)") { model, data, dryRun };
        dataOptions.AddTo(command);
        command.SetAction(result =>
        {
            string folder = result.GetValue(model)!, path = result.GetValue(data)!;
            using var classifier = TextClassifier.Load(folder);
            if (classifier.ProblemType != ProblemType.SingleLabel)
            {
                Console.Error.WriteLine($"--model {folder}: temperature scaling is for single-label models; this one is {classifier.ProblemType}");
                return 2;
            }
            var examples = dataOptions.ReadExamples(result, path, new LabelSet(classifier.Labels), classifier.ProblemType);
            if (examples.Count < TextClassifierCalibration.MinRows)
            {
                Console.Error.WriteLine($"--data {path}: {examples.Count} rows; calibration needs at least {TextClassifierCalibration.MinRows} held-out rows");
                return 2;
            }
            var report = classifier.Calibrate(examples);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"temperature {report.Temperature:0.000} on {report.Rows} rows: ECE (15 bins) {report.EceBefore:0.0000} -> {report.EceAfter:0.0000}, NLL {report.NllBefore:0.0000} -> {report.NllAfter:0.0000}, accuracy {report.Accuracy:P2} (unchanged)"));
            if (result.GetValue(dryRun)) return 0;
            report.SaveTo(folder);
            PlotPictures.WritePng(ReliabilityDiagram(report), Path.Combine(folder, "reliability.png"), 640, 480);
            AppendToCard(Path.Combine(folder, "README.md"), report, Path.GetFileName(path));
            Console.WriteLine($"wrote the temperature into {Path.Combine(folder, "config.json")}, reliability.png and the model card");
            return 0;
        });
        return command;
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

    static void AppendToCard(string card, CalibrationReport report, string dataName)
    {
        var text = new StringBuilder(File.Exists(card) ? File.ReadAllText(card) : "");
        text.Append(CultureInfo.InvariantCulture, $"\n## Calibration\n\nTemperature scaling fitted on {report.Rows} held-out rows of `{dataName}`: T = {report.Temperature:0.000}, applied to the logits before the softmax (`typedbert_temperature` in config.json).\n\n")
            .Append("| | ECE (15 bins) | NLL |\n| --- | --- | --- |\n")
            .Append(CultureInfo.InvariantCulture, $"| before | {report.EceBefore:0.0000} | {report.NllBefore:0.0000} |\n| after | {report.EceAfter:0.0000} | {report.NllAfter:0.0000} |\n\n")
            .Append(CultureInfo.InvariantCulture, $"Accuracy {report.Accuracy:P2}, unchanged. ![reliability diagram](reliability.png)\n");
        AtomicFile.WriteAllText(card, text.ToString());
    }
}
