namespace TypedBert.Tests.Explanations;

/// <summary>Spearman's rank correlation: Pearson's correlation of the ranks (ties share their mean rank).</summary>
internal static class SpearmanCorrelation
{
    public static double Of(double[] a, double[] b)
    {
        double[] ra = Ranks(a), rb = Ranks(b);
        double ma = ra.Average(), mb = rb.Average();
        double covariance = ra.Zip(rb, (x, y) => (x - ma) * (y - mb)).Sum();
        double norm = Math.Sqrt(ra.Sum(x => (x - ma) * (x - ma)) * rb.Sum(y => (y - mb) * (y - mb)));
        return norm == 0 ? 0 : covariance / norm;
    }

    static double[] Ranks(double[] values)
    {
        var order = Enumerable.Range(0, values.Length).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            for (int k = start; k <= end; k++) ranks[order[k]] = (start + end) / 2.0;
            start = end + 1;
        }
        return ranks;
    }
}
