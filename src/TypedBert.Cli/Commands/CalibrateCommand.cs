using System.CommandLine;
using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Cli.Reporting;
using TypedBert.Data;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert calibrate</c>: fits the temperature of a single-label classifier, or chooses a threshold per label of a multi-label
/// one, on held-out rows; writes them into the model's config.json (so every engine, the server and the typed API apply them),
/// and adds the figures (and, for a temperature, a reliability diagram) to its card.
/// </summary>
internal static class CalibrateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Classifier folder to calibrate (its config.json is rewritten)", Required = true };
        var data = new Option<string>("--data") { Description = $"Held-out labelled file the model was not trained on (.tsv, .csv, .jsonl), at least {TextClassifierCalibration.MinRows} rows", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report the temperature or thresholds without writing anything" };
        var dataOptions = new DataOptions();
        var command = new Command("calibrate",
            "Fit a temperature (single-label) so that the scores match the accuracy, or a threshold per label (multi-label) that maximises its F1, on held-out data")
        { model, data, dryRun };
        dataOptions.AddTo(command);
        command.SetAction(result =>
        {
            string folder = result.GetValue(model)!, path = result.GetValue(data)!;
            using var classifier = TextClassifier.Load(folder);
            if (classifier.ProblemType == ProblemType.Regression)
            {
                Console.Error.WriteLine($"--model {folder}: calibration is for single-label (a temperature) and multi-label (thresholds) models; this one is {classifier.ProblemType}");
                return 2;
            }
            var examples = dataOptions.ReadExamples(result, path, new LabelSet(classifier.Labels), classifier.ProblemType);
            try
            {
                if (classifier.ProblemType == ProblemType.MultiLabel) TextClassifierThresholds.CheckHeldOut(classifier, examples);
                else TextClassifierCalibration.CheckHeldOut(classifier, examples);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"--data {path}: {e.Message.Split(" (Parameter")[0]}");
                return 2;
            }
            bool write = !result.GetValue(dryRun);
            if (classifier.ProblemType == ProblemType.MultiLabel)
            {
                var thresholds = classifier.CalibrateThresholds(examples);
                Console.WriteLine(CalibrationCard.Summary(thresholds));
                if (!write) return 0;
                thresholds.SaveTo(folder);
                CalibrationCard.Write(folder, thresholds, Path.GetFileName(path));
                Console.WriteLine($"wrote the thresholds into {Path.Combine(folder, "config.json")} and the model card");
                return 0;
            }
            var report = classifier.Calibrate(examples);
            Console.WriteLine(CalibrationCard.Summary(report));
            if (!write) return 0;
            report.SaveTo(folder);
            CalibrationCard.Write(folder, report, Path.GetFileName(path));
            Console.WriteLine($"wrote the temperature into {Path.Combine(folder, "config.json")}, reliability.png and the model card");
            return 0;
        });
        return command;
    }
}
