namespace TypedBert.Calibration;

/// <summary>
/// The decision threshold of one label of a multi-label model: the probability t (a label is chosen when its score is at or above
/// t) that maximises the label's F1 on held-out rows. F1 only changes where t passes a score, so the candidates are the intervals
/// between neighbouring distinct scores; within the best interval t is 0.5 when 0.5 lies in it, else the interval's midpoint (a
/// threshold on a score itself would flip on the smallest change), and among equally good intervals the one nearest 0.5 wins,
/// so a label whose F1 does not improve keeps the default.
/// </summary>
internal static class ThresholdSelection
{
    /// <summary>The threshold of one label and its F1 on the rows.</summary>
    /// <param name="scores">The label's probability per row.</param>
    /// <param name="positive">Whether the label applies, per row.</param>
    public static (float Threshold, double F1) Choose(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positive);
        if (scores.Count != positive.Count) throw new ArgumentException($"{scores.Count} scores but {positive.Count} targets", nameof(positive));
        int totalPositives = positive.Count(p => p);
        // Distinct scores, high to low, with the positives and rows at each: lowering t past a score chooses all its rows.
        var levels = scores.Select((s, i) => (Score: s, Positive: positive[i])).GroupBy(r => r.Score)
            .Select(g => (Score: g.Key, Rows: g.Count(), Positives: g.Count(r => r.Positive))).OrderByDescending(l => l.Score).ToList();

        double bestF1 = F1(0, 0, totalPositives);
        float bestThreshold = Inside(levels.Count == 0 ? 0 : levels[0].Score, 1);   // above every score: nothing chosen
        int chosen = 0, truePositives = 0;
        for (int k = 0; k < levels.Count; k++)
        {
            chosen += levels[k].Rows;
            truePositives += levels[k].Positives;
            // Every t in (next lower score, this score] chooses exactly the rows scored at or above this level.
            float low = k + 1 < levels.Count ? levels[k + 1].Score : 0, threshold = Inside(low, levels[k].Score);
            double f1 = F1(truePositives, chosen, totalPositives);
            if (f1 > bestF1 || f1 == bestF1 && Math.Abs(threshold - 0.5) < Math.Abs(bestThreshold - 0.5))
                (bestF1, bestThreshold) = (f1, threshold);
        }
        return (bestThreshold, bestF1);
    }

    /// <summary>F1 of one label: 2·TP / (chosen + positives); 0 when both are empty.</summary>
    public static double F1(int truePositives, int chosen, int positives) => chosen + positives == 0 ? 0 : 2.0 * truePositives / (chosen + positives);

    /// <summary>F1 of one label when every row scored at or above <paramref name="threshold"/> is chosen.</summary>
    public static double F1At(IReadOnlyList<float> scores, IReadOnlyList<bool> positive, float threshold)
    {
        int chosen = 0, truePositives = 0;
        for (int i = 0; i < scores.Count; i++)
            if (scores[i] >= threshold)
            {
                chosen++;
                if (positive[i]) truePositives++;
            }
        return F1(truePositives, chosen, positive.Count(p => p));
    }

    // A threshold that chooses the rows scored above low and at or above high: 0.5 when it does, else the midpoint, kept inside (0, 1)
    // as config.json requires. Where the midpoint rounds onto low (adjacent floats), high itself is the threshold.
    static float Inside(float low, float high)
    {
        if (low < 0.5f && 0.5f <= high) return 0.5f;
        float middle = (float)((low + (double)high) / 2);
        if (middle <= low) middle = high;
        return Math.Clamp(middle, float.Epsilon, 1 - 1e-7f);
    }
}
