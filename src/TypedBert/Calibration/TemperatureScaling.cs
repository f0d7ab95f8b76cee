namespace TypedBert.Calibration;

/// <summary>
/// Temperature scaling (Guo et al. 2017): one number T that divides a single-label model's logits, chosen to minimise the
/// negative log-likelihood of held-out labels. The NLL is convex in 1/T, so it is unimodal in log T and a golden-section
/// search over log T in [ln 0.05, ln 20] finds the minimum; T never changes which label is highest.
/// </summary>
public static class TemperatureScaling
{
    /// <summary>The smallest temperature searched.</summary>
    public const double MinTemperature = 0.05;

    /// <summary>The largest temperature searched.</summary>
    public const double MaxTemperature = 20;

    /// <summary>The temperature that minimises the NLL of <paramref name="labels"/> under softmax(logits / T).</summary>
    public static double Fit(IReadOnlyList<float[]> logits, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Count == 0 || logits.Count != labels.Count) throw new ArgumentException($"{logits.Count} logit vectors and {labels.Count} labels; need as many, at least one", nameof(labels));
        double Loss(double logT) => CalibrationMetrics.NegativeLogLikelihood(logits, labels, Math.Exp(logT));
        double ratio = (Math.Sqrt(5) - 1) / 2, low = Math.Log(MinTemperature), high = Math.Log(MaxTemperature);
        double a = high - ratio * (high - low), b = low + ratio * (high - low), fa = Loss(a), fb = Loss(b);
        while (high - low > 1e-6)
        {
            if (fa <= fb)
            {
                high = b;
                b = a;
                fb = fa;
                a = high - ratio * (high - low);
                fa = Loss(a);
            }
            else
            {
                low = a;
                a = b;
                fa = fb;
                b = low + ratio * (high - low);
                fb = Loss(b);
            }
        }
        return Math.Exp((low + high) / 2);
    }
}
