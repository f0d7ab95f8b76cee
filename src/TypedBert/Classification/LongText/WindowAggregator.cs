namespace TypedBert.Classification.LongText;

/// <summary>Combines the logits of a document's windows into one row of logits.</summary>
public static class WindowAggregator
{
    /// <summary>
    /// One row of logits for a document. For <see cref="WindowAggregation.MeanProbability"/> the row is chosen so that the problem type's
    /// activation gives back the mean probability (log for softmax, logit for sigmoid); the loss and the metrics then read it like any logits.
    /// </summary>
    public static float[] Aggregate(IReadOnlyList<float[]> rows, WindowAggregation aggregation, ProblemType problemType)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a document has at least one window", nameof(rows));
        if (rows.Count == 1) return rows[0];
        int labels = rows[0].Length;
        var result = new float[labels];
        switch (aggregation)
        {
            case WindowAggregation.Max:
                for (int j = 0; j < labels; j++) result[j] = rows.Max(r => r[j]);
                return result;
            case WindowAggregation.MeanProbability when problemType != ProblemType.Regression:
                var mean = new double[labels];
                foreach (var row in rows)
                {
                    var p = Probabilities(row, problemType);
                    for (int j = 0; j < labels; j++) mean[j] += p[j] / rows.Count;
                }
                for (int j = 0; j < labels; j++)
                {
                    double m = Math.Clamp(mean[j], 1e-12, 1 - 1e-12); // finite logits even when every window is certain
                    result[j] = (float)(problemType == ProblemType.SingleLabel ? Math.Log(m) : Math.Log(m / (1 - m)));
                }
                return result;
            default: // Mean, and MeanProbability of regression outputs, which have no probabilities
                for (int j = 0; j < labels; j++) result[j] = rows.Average(r => r[j]);
                return result;
        }
    }

    /// <summary>Softmax (single-label) or sigmoid (multi-label) of one row, in double precision.</summary>
    static double[] Probabilities(float[] logits, ProblemType problemType)
    {
        if (problemType == ProblemType.MultiLabel) return [.. logits.Select(l => 1 / (1 + Math.Exp(-l)))];
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }
}
