using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Calibration;

/// <summary><c>classifier.Calibrate(heldOut)</c>: temperature scaling fitted on held-out rows (<see cref="TemperatureScaling"/>).</summary>
public static class TextClassifierCalibration
{
    /// <summary>The fewest held-out rows accepted: with fewer, 15 bins and one temperature are estimated from noise.</summary>
    public const int MinRows = 100;

    /// <summary>The refusals of <see cref="Calibrate"/>, without predicting: so that training with calibration can refuse before it starts.</summary>
    public static void CheckHeldOut(TextClassifier classifier, IReadOnlyList<TrainingExample> heldOut)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (classifier.ProblemType != ProblemType.SingleLabel)
            throw new ArgumentException($"temperature scaling is for single-label models; this one is {classifier.ProblemType}", nameof(classifier));
        if (heldOut.Count < MinRows)
            throw new ArgumentException($"{heldOut.Count} held-out rows; calibration needs at least {MinRows} rows the model was not trained on", nameof(heldOut));
        int bad = heldOut.ToList().FindIndex(e => e.LabelId < 0 || e.LabelId >= classifier.Labels.Count);
        if (bad >= 0) throw new ArgumentException($"row {bad + 1} has no label of the model ({string.Join(", ", classifier.Labels)})", nameof(heldOut));
    }

    /// <summary>
    /// Fits the temperature of a single-label classifier on <paramref name="heldOut"/> rows it was not trained on, from its raw
    /// logits (any temperature the model already has is ignored), and reports the ECE before and after. Save it with
    /// <see cref="CalibrationReport.SaveTo"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than 100 rows, a row without a single label of the model, or a model that is not single-label; the message says which.</exception>
    public static CalibrationReport Calibrate(this TextClassifier classifier, IReadOnlyList<TrainingExample> heldOut)
    {
        CheckHeldOut(classifier, heldOut);
        var predictions = classifier.PredictBatch([.. heldOut.Select(e => e.Text)], heldOut.Any(e => e.TextPair is not null) ? [.. heldOut.Select(e => e.TextPair ?? "")] : null);
        var logits = predictions.Select(p => p.Logits).ToList();
        var labels = heldOut.Select(e => e.LabelId).ToList();
        double temperature = TemperatureScaling.Fit(logits, labels);
        double accuracy = predictions.Select((p, i) => Array.IndexOf(p.Logits, p.Logits.Max()) == labels[i] ? 1.0 : 0).Average();
        List<float[]> before = [.. logits.Select(l => CalibrationMetrics.Softmax(l))], after = [.. logits.Select(l => CalibrationMetrics.Softmax(l, temperature))];
        return new CalibrationReport(heldOut.Count, temperature,
            CalibrationMetrics.ExpectedCalibrationError(before, labels), CalibrationMetrics.ExpectedCalibrationError(after, labels),
            CalibrationMetrics.NegativeLogLikelihood(logits, labels, 1), CalibrationMetrics.NegativeLogLikelihood(logits, labels, temperature), accuracy,
            ReliabilityBin.Of(before, labels), ReliabilityBin.Of(after, labels));
    }
}
