using TypedBert.Classification;
using TypedBert.Onnx;

namespace TypedBert.Benchmarks;

/// <summary>
/// The accuracy of a fine-tuned model's static int8 graph against its fp32 predictions: the calibration method chosen on a dev
/// slice (min-max against percentile ranges), then the test accuracy with it.
/// </summary>
internal static class StaticInt8Accuracy
{
    /// <summary>Candidate calibrations: the share of each activation's values its range keeps (1: min-max).</summary>
    static readonly double[] Percentiles = [1.0, 0.9999, 0.999];

    /// <summary>
    /// Adds <c>{prefix}int8_static_*</c> keys: dev accuracy of each calibration, the chosen one, and test accuracy, changed
    /// predictions and delta points against <paramref name="fp32Test"/>'s labels.
    /// </summary>
    public static void Measure(BenchResult result, string prefix, TextClassifier classifier, IReadOnlyList<string> calibration,
        IReadOnlyList<(string Text, int Label)> dev, IReadOnlyList<(string Text, int Label)> test, int[] fp32Test, int maxLength)
    {
        double Score(int[] predicted, IReadOnlyList<(string Text, int Label)> rows) => predicted.Where((label, i) => label == rows[i].Label).Count() * 100.0 / rows.Count;
        int[] Fp32(IReadOnlyList<(string Text, int Label)> rows)
        {
            using var fp32 = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.Float32, Engine = InferenceEngine.Torch, MaxLength = maxLength });
            return [.. fp32.PredictBatch([.. rows.Select(r => r.Text)]).Select(p => p.LabelId)];
        }
        double fp32Dev = Score(Fp32(dev), dev);
        result[prefix + "fp32_dev_accuracy"] = fp32Dev;
        double bestDev = double.NegativeInfinity;
        double chosen = StaticCalibration.DefaultPercentile;
        foreach (double percentile in Percentiles)
        {
            double accuracy = Score(Predict(classifier, calibration, percentile, dev, maxLength), dev);
            result[$"{prefix}int8_static_dev_accuracy_p{percentile:0.####}"] = accuracy;
            if (accuracy > bestDev) (bestDev, chosen) = (accuracy, percentile);
        }
        result[prefix + "int8_static_chosen_percentile"] = chosen;
        var labels = Predict(classifier, calibration, chosen, test, maxLength);
        double q = Score(labels, test), f = Score(fp32Test, test);
        result[prefix + "int8_static_accuracy"] = q;
        result[prefix + "int8_static_changed_predictions"] = labels.Where((label, i) => label != fp32Test[i]).Count();
        result[prefix + "int8_static_accuracy_delta_points"] = q - f;
        result.AtMost(prefix + "int8_static_abs_delta_points", Math.Abs(q - f), 0.5,
            "static int8 clips every activation to its calibrated range and rounds it to 8 bits, the attention's products included");
    }

    /// <summary>Labels of <paramref name="rows"/> from the static int8 folder exported with <paramref name="percentile"/> ranges.</summary>
    static int[] Predict(TextClassifier classifier, IReadOnlyList<string> calibration, double percentile, IReadOnlyList<(string Text, int Label)> rows, int maxLength)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"typedbert-static-accuracy-{Environment.ProcessId}");
        try
        {
            OnnxExport.Export(classifier, folder, new OnnxExportOptions
            {
                Quantization = OnnxQuantization.Int8Static, CalibrationTexts = calibration, CalibrationPercentile = percentile,
            }, overwrite: true);
            using var exported = TextClassifier.Load(folder, new PredictionSettings { MaxLength = maxLength });
            return [.. exported.PredictBatch([.. rows.Select(r => r.Text)]).Select(p => p.LabelId)];
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
