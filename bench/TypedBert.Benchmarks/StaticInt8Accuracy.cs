using TypedBert.Classification;
using TypedBert.Onnx;

namespace TypedBert.Benchmarks;

/// <summary>
/// The accuracy of a fine-tuned model's static int8 graph against its fp32 predictions: the calibration method chosen on a dev
/// slice by how closely each static graph follows the fp32 model there (the mean change of its centred logits: a finer measure
/// than accuracy, which a few hundred rows cannot tell apart), then the test accuracy with it.
/// </summary>
internal static class StaticInt8Accuracy
{
    /// <summary>Candidate calibrations: the share of each activation's values its range keeps (1: min-max).</summary>
    static readonly double[] Percentiles = [1.0, 0.99999, 0.9999, 0.999];

    /// <summary>
    /// Adds <c>{prefix}int8_static_*</c> keys: dev accuracy, changed predictions and logit error of each calibration, the chosen
    /// one, and test accuracy, changed predictions and delta points against <paramref name="fp32Test"/>'s labels.
    /// </summary>
    public static void Measure(BenchResult result, string prefix, TextClassifier classifier, IReadOnlyList<string> calibration,
        IReadOnlyList<(string Text, int Label)> dev, IReadOnlyList<(string Text, int Label)> test, int[] fp32Test, int maxLength)
    {
        static int Label(float[] logits) => Array.IndexOf(logits, logits.Max());
        double Score(float[][] predicted, IReadOnlyList<(string Text, int Label)> rows) => predicted.Where((logits, i) => Label(logits) == rows[i].Label).Count() * 100.0 / rows.Count;
        float[][] fp32Dev;
        using (var fp32 = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.Float32, Engine = InferenceEngine.Torch, MaxLength = maxLength }))
            fp32Dev = [.. fp32.PredictBatch([.. dev.Select(r => r.Text)]).Select(p => p.Logits)];
        result[prefix + "fp32_dev_accuracy"] = Score(fp32Dev, dev);
        result[prefix + "int8_static_dev_rows"] = dev.Count;
        double bestError = double.PositiveInfinity;
        double chosen = StaticCalibration.DefaultPercentile;
        foreach (double percentile in Percentiles)
        {
            var logits = Predict(classifier, calibration, percentile, dev, maxLength);
            double error = LogitError(logits, fp32Dev);
            string key = $"{prefix}int8_static_dev_p{percentile:0.#####}";
            result[key + "_accuracy"] = Score(logits, dev);
            result[key + "_changed_predictions"] = logits.Where((l, i) => Label(l) != Label(fp32Dev[i])).Count();
            result[key + "_logit_error"] = error;
            if (error < bestError) (bestError, chosen) = (error, percentile);
        }
        result[prefix + "int8_static_chosen_percentile"] = chosen;
        int[] labels = [.. Predict(classifier, calibration, chosen, test, maxLength).Select(Label)];
        double q = labels.Where((label, i) => label == test[i].Label).Count() * 100.0 / test.Count;
        double f = fp32Test.Where((label, i) => label == test[i].Label).Count() * 100.0 / test.Count;
        result[prefix + "int8_static_accuracy"] = q;
        result[prefix + "int8_static_changed_predictions"] = labels.Where((label, i) => label != fp32Test[i]).Count();
        result[prefix + "int8_static_accuracy_delta_points"] = q - f;
        result.AtMost(prefix + "int8_static_abs_delta_points", Math.Abs(q - f), 0.5,
            "static int8 clips every activation to its calibrated range and rounds it to 8 bits, the attention's products included");
    }

    /// <summary>
    /// The mean absolute difference of <paramref name="logits"/> from <paramref name="reference"/> after each row is centred on its
    /// mean (softmax ignores a shift): 0 for identical predictions, about the quantization noise otherwise.
    /// </summary>
    internal static double LogitError(float[][] logits, float[][] reference)
    {
        double sum = 0;
        int count = 0;
        for (int row = 0; row < logits.Length; row++)
        {
            double mean = logits[row].Average(), referenceMean = reference[row].Average();
            for (int j = 0; j < logits[row].Length; j++, count++) sum += Math.Abs(logits[row][j] - mean - (reference[row][j] - referenceMean));
        }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>Logits of <paramref name="rows"/> from the static int8 folder exported with <paramref name="percentile"/> ranges.</summary>
    static float[][] Predict(TextClassifier classifier, IReadOnlyList<string> calibration, double percentile, IReadOnlyList<(string Text, int Label)> rows, int maxLength)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"typedbert-static-accuracy-{Environment.ProcessId}");
        try
        {
            OnnxExport.Export(classifier, folder, new OnnxExportOptions
            {
                Quantization = OnnxQuantization.Int8Static, CalibrationTexts = calibration, CalibrationPercentile = percentile,
            }, overwrite: true);
            using var exported = TextClassifier.Load(folder, new PredictionSettings { MaxLength = maxLength });
            return [.. exported.PredictBatch([.. rows.Select(r => r.Text)]).Select(p => p.Logits)];
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
