namespace TypedBert.Calibration;

/// <summary>One bar of a reliability diagram: the examples whose top-label confidence fell into one bin.</summary>
/// <param name="Low">The bin's lower edge (exclusive).</param>
/// <param name="High">Its upper edge (inclusive).</param>
/// <param name="Count">Examples in the bin.</param>
/// <param name="Confidence">Their mean confidence (0 when empty).</param>
/// <param name="Accuracy">The share of them whose top label is right (0 when empty).</param>
public readonly record struct ReliabilityBin(double Low, double High, int Count, double Confidence, double Accuracy)
{
    /// <summary>The bins of <paramref name="probabilities"/> (see <see cref="CalibrationMetrics.Bins"/>).</summary>
    public static IReadOnlyList<ReliabilityBin> Of(IReadOnlyList<float[]> probabilities, IReadOnlyList<int> labels, int bins = CalibrationMetrics.DefaultBins)
    {
        var (count, correct, confidence) = CalibrationMetrics.Bins(probabilities, labels, bins);
        return [.. Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? 0 : confidence[b] / count[b], count[b] == 0 ? 0 : correct[b] / count[b]))];
    }
}
