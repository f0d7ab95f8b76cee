using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>calibration --model M --test FILE [--text-column C] [--fit FILE --fit-rows N]</c>: issue 30's calibration target on a
/// single-label model as users get it: the test ECE (15 bins) and NLL with the model's raw logits (T = 1) and with the temperature
/// saved in its config.json (by <c>train --calibrate</c> or <c>typedbert calibrate</c>), the reliability bins of both, and, with
/// <c>--fit</c>, a temperature refitted on N rows of another held-out file, to see whether more held-out rows help.
/// </summary>
internal static class CalibrationBench
{
    public static BenchResult Run(BenchArguments arguments)
    {
        string folder = arguments.Option("--model") ?? throw new ArgumentException("calibration needs --model FOLDER (a single-label classifier)");
        string testPath = arguments.Option("--test") ?? throw new ArgumentException("calibration needs --test FILE (.tsv with a header)");
        string column = arguments.Option("--text-column") ?? "text";
        using var classifier = TextClassifier.Load(folder);
        var result = new BenchResult();
        var test = ReadTsv(testPath, column, classifier.Labels);
        var predictions = classifier.PredictBatch([.. test.Select(e => e.Text)]);
        var logits = predictions.Select(p => p.Logits).ToList();
        var labels = test.Select(e => e.LabelId).ToList();
        double saved = classifier.Config.Temperature ?? 1;
        result["test_rows"] = test.Count;
        result["temperature_saved"] = saved;
        result["test_accuracy"] = predictions.Select((p, i) => Array.IndexOf(p.Logits, p.Logits.Max()) == labels[i] ? 1.0 : 0).Average();
        double before = Ece(logits, labels, 1), after = Ece(logits, labels, saved);
        result["test_ece_before"] = before;
        result["test_ece_after"] = after;
        result["test_nll_before"] = CalibrationMetrics.NegativeLogLikelihood(logits, labels, 1);
        result["test_nll_after"] = CalibrationMetrics.NegativeLogLikelihood(logits, labels, saved);
        result["bins_before"] = Bins(logits, labels, 1);
        result["bins_after"] = Bins(logits, labels, saved);
        result["test_ece_floor_after"] = NoiseFloor(logits, saved);
        result.AtMost("test_ece_after", after, Math.Min(0.02, before / 2), "temperature scaling on this model");
        if (arguments.Option("--fit") is { } fitPath)
        {
            var fit = ReadTsv(fitPath, column, classifier.Labels).Take(arguments.Int("--fit-rows", int.MaxValue)).ToList();
            var fitLogits = classifier.PredictBatch([.. fit.Select(e => e.Text)]).Select(p => p.Logits).ToList();
            double refit = TemperatureScaling.Fit(fitLogits, [.. fit.Select(e => e.LabelId)]);
            result["refit_rows"] = fit.Count;
            result["temperature_refit"] = refit;
            result["test_ece_refit"] = Ece(logits, labels, refit);
            result["test_nll_refit"] = CalibrationMetrics.NegativeLogLikelihood(logits, labels, refit);
        }
        return result;
    }

    /// <summary>
    /// The mean ECE of a model that is perfectly calibrated at <paramref name="temperature"/> on these rows: labels drawn from its own
    /// probabilities, 200 times. With a few hundred rows in 15 bins this is well above 0, and no calibration can go below it.
    /// </summary>
    static double NoiseFloor(List<float[]> logits, double temperature)
    {
        var random = new Random(30);
        var probabilities = logits.Select(l => CalibrationMetrics.Softmax(l, temperature)).ToList();
        return Enumerable.Range(0, 200).Average(_ => CalibrationMetrics.ExpectedCalibrationError(probabilities, [.. probabilities.Select(p => Draw(p, random))]));
    }

    static int Draw(float[] p, Random random)
    {
        double u = random.NextDouble(), sum = 0;
        for (int k = 0; k < p.Length; k++)
            if ((sum += p[k]) > u) return k;
        return p.Length - 1;
    }

    static double Ece(List<float[]> logits, List<int> labels, double temperature) =>
        CalibrationMetrics.ExpectedCalibrationError([.. logits.Select(l => CalibrationMetrics.Softmax(l, temperature))], labels);

    // "low-high: n, confidence, accuracy" for each non-empty bin: where the gap that ECE sums lies.
    static string[] Bins(List<float[]> logits, List<int> labels, double temperature) =>
        [.. ReliabilityBin.Of([.. logits.Select(l => CalibrationMetrics.Softmax(l, temperature))], labels).Where(b => b.Count > 0)
            .Select(b => FormattableString.Invariant($"{b.Low:0.00}-{b.High:0.00}: n {b.Count}, confidence {b.Confidence:0.000}, accuracy {b.Accuracy:0.000}"))];

    static List<TrainingExample> ReadTsv(string path, string textColumn, IReadOnlyList<string> modelLabels)
    {
        var lines = File.ReadLines(path).ToList();
        var header = lines[0].Split('\t');
        int text = Array.IndexOf(header, textColumn), label = Array.IndexOf(header, "label");
        if (text < 0 || label < 0) throw new ArgumentException($"{path}: needs columns {textColumn} and label; has {string.Join(", ", header)}");
        return [.. lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split('\t')).Select((f, i) =>
        {
            int id = modelLabels.ToList().IndexOf(f[label]);
            return id >= 0 ? TrainingExample.ForLabel(f[text], id) : throw new ArgumentException($"{path} line {i + 2}: label {f[label]} is not one of the model's ({string.Join(", ", modelLabels)})");
        })];
    }
}
