namespace TypedBert.Calibration;

/// <summary>How well a single-label model's confidences match its accuracy.</summary>
public static class CalibrationMetrics
{
    /// <summary>The number of equal-width confidence bins of <see cref="ExpectedCalibrationError"/> (Guo et al. 2017).</summary>
    public const int DefaultBins = 15;

    /// <summary>
    /// Expected calibration error: the top-label confidences are put into <paramref name="bins"/> equal-width bins over (0, 1]
    /// (a confidence c goes to bin ⌈c·bins⌉ − 1); ECE = Σ_bins (n_b / n) · |accuracy_b − mean confidence_b|.
    /// </summary>
    /// <param name="probabilities">One probability vector per example.</param>
    /// <param name="labels">The true label id per example.</param>
    /// <param name="bins">Number of bins.</param>
    public static double ExpectedCalibrationError(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, int bins = DefaultBins)
    {
        var (count, correct, confidence) = Bins(probabilities, labels, bins);
        double ece = 0;
        for (int b = 0; b < bins; b++)
            if (count[b] > 0) ece += count[b] / (double)probabilities.Count * Math.Abs(correct[b] / count[b] - confidence[b] / count[b]);
        return ece;
    }

    /// <summary>Per bin: examples, correct top labels and summed confidence (a reliability diagram's bars).</summary>
    public static (int[] Count, double[] Correct, double[] Confidence) Bins(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, int bins = DefaultBins)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        if (probabilities.Count != labels.Count) throw new ArgumentException($"{probabilities.Count} probability vectors but {labels.Count} labels", nameof(labels));
        var count = new int[bins];
        var correct = new double[bins];
        var confidence = new double[bins];
        for (int i = 0; i < probabilities.Count; i++)
        {
            var p = probabilities[i];
            int top = Array.IndexOf(p, p.Max());
            int bin = Math.Clamp((int)Math.Ceiling(p[top] * bins) - 1, 0, bins - 1);
            count[bin]++;
            confidence[bin] += p[top];
            if (top == labels[i]) correct[bin]++;
        }
        return (count, correct, confidence);
    }

    /// <summary>Softmax of <paramref name="logits"/> / <paramref name="temperature"/>.</summary>
    public static float[] Softmax(float[] logits, double temperature = 1)
    {
        ArgumentNullException.ThrowIfNull(logits);
        double max = logits.Max() / temperature;
        double[] e = [.. logits.Select(l => Math.Exp(l / temperature - max))];
        double sum = e.Sum();
        return [.. e.Select(v => (float)(v / sum))];
    }

    /// <summary>Mean negative log-likelihood of the true labels under softmax(logits / T).</summary>
    public static double NegativeLogLikelihood(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels, double temperature)
    {
        double total = 0;
        for (int i = 0; i < logits.Count; i++)
        {
            double max = logits[i].Max() / temperature;
            double logSum = max + Math.Log(logits[i].Sum(l => Math.Exp(l / temperature - max)));
            total += logSum - logits[i][labels[i]] / temperature;
        }
        return total / logits.Count;
    }
}
