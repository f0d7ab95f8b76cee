using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Calibration;

/// <summary><c>classifier.CalibrateThresholds(heldOut)</c>: a decision threshold per label of a multi-label model (<see cref="ThresholdSelection"/>).</summary>
public static class TextClassifierThresholds
{
    /// <summary>
    /// The fewest held-out rows a label must apply to: with fewer, one row more or less moves its threshold and F1 by a large step.
    /// </summary>
    public const int MinPositives = 10;

    /// <summary>
    /// Chooses, per label of a multi-label classifier, the threshold that maximises the label's F1 on <paramref name="heldOut"/>
    /// rows it was not trained on (ties go to the threshold nearest 0.5). Save them with <see cref="ThresholdReport.SaveTo"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// Fewer than 100 rows, a label that applies to fewer than <see cref="MinPositives"/> of them, a row without the model's labels, or
    /// a model that is not multi-label; the message says which.
    /// </exception>
    public static ThresholdReport CalibrateThresholds(this TextClassifier classifier, IReadOnlyList<TrainingExample> heldOut)
    {
        CheckHeldOut(classifier, heldOut);
        var predictions = classifier.PredictBatch([.. heldOut.Select(e => e.Text)], heldOut.Any(e => e.TextPair is not null) ? [.. heldOut.Select(e => e.TextPair ?? "")] : null);
        return Fit(classifier, [.. predictions.Select(p => p.Scores)], heldOut);
    }

    /// <summary>The refusals of <see cref="CalibrateThresholds"/>, without predicting: so that training with calibration can refuse before it starts.</summary>
    public static void CheckHeldOut(TextClassifier classifier, IReadOnlyList<TrainingExample> heldOut)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (classifier.ProblemType != ProblemType.MultiLabel)
            throw new ArgumentException($"per-label thresholds are for multi-label models; this one is {classifier.ProblemType}", nameof(classifier));
        if (heldOut.Count < TextClassifierCalibration.MinRows)
            throw new ArgumentException($"{heldOut.Count} held-out rows; calibration needs at least {TextClassifierCalibration.MinRows} rows the model was not trained on", nameof(heldOut));
        int bad = heldOut.ToList().FindIndex(e => e.Target.Length != classifier.Labels.Count);
        if (bad >= 0) throw new ArgumentException($"row {bad + 1} has no multi-label targets over the model's labels ({string.Join(", ", classifier.Labels)})", nameof(heldOut));
        var few = Enumerable.Range(0, classifier.Labels.Count).Select(id => (Label: classifier.Labels[id], Positives: heldOut.Count(e => e.Target[id] >= 0.5f)))
            .Where(l => l.Positives < MinPositives).ToList();
        if (few.Count > 0)
            throw new ArgumentException($"{string.Join(", ", few.Select(l => $"label \"{l.Label}\" applies to {l.Positives}"))} of the {heldOut.Count} held-out rows; "
                + $"choosing a label's threshold needs at least {MinPositives} rows it applies to: add held-out rows with it", nameof(heldOut));
    }

    /// <summary>The thresholds for <paramref name="scores"/> (the model's probabilities per held-out row) and the F1 before and after.</summary>
    internal static ThresholdReport Fit(TextClassifier classifier, IReadOnlyList<float[]> scores, IReadOnlyList<TrainingExample> heldOut)
    {
        var labels = new List<LabelThreshold>();
        int truePositivesBefore = 0, chosenBefore = 0, truePositivesAfter = 0, chosenAfter = 0, positives = 0;
        for (int id = 0; id < classifier.Labels.Count; id++)
        {
            float[] column = [.. scores.Select(s => s[id])];
            bool[] positive = [.. heldOut.Select(e => e.Target[id] >= 0.5f)];
            float before = classifier.Config.Thresholds?[id] ?? 0.5f;
            var (threshold, _) = ThresholdSelection.Choose(column, positive);
            // Both F1s recounted with the decision Prediction makes (score >= threshold), so the report says what the saved threshold does.
            labels.Add(new LabelThreshold(classifier.Labels[id], positive.Count(p => p), threshold,
                ThresholdSelection.F1At(column, positive, before), ThresholdSelection.F1At(column, positive, threshold)));
            positives += positive.Count(p => p);
            chosenBefore += column.Count(s => s >= before);
            truePositivesBefore += column.Where((s, i) => s >= before && positive[i]).Count();
            chosenAfter += column.Count(s => s >= threshold);
            truePositivesAfter += column.Where((s, i) => s >= threshold && positive[i]).Count();
        }
        return new ThresholdReport(heldOut.Count, labels, ThresholdSelection.F1(truePositivesBefore, chosenBefore, positives),
            ThresholdSelection.F1(truePositivesAfter, chosenAfter, positives));
    }
}
