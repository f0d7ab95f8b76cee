namespace TypedBert.Suggestions;

/// <summary>
/// Picks <c>count</c> of the candidates spread over their embeddings: k-means (k = count, k-means++ start from a seed, cosine on unit
/// vectors), then the most uncertain member of each cluster (the "diverse mini-batch" of Zhdanov 2019, unweighted).
/// </summary>
internal static class DiverseSelection
{
    const int Iterations = 25;

    /// <summary>
    /// Positions into <paramref name="vectors"/> (one per candidate; <paramref name="uncertainty"/> alike), most uncertain first.
    /// When clusters come out empty, the most uncertain candidates not yet taken fill the places.
    /// </summary>
    public static List<int> Pick(float[][] vectors, double[] uncertainty, int count, int seed)
    {
        int n = vectors.Length;
        if (count >= n) return [.. Enumerable.Range(0, n).OrderByDescending(i => uncertainty[i]).ThenBy(i => i)];
        var unit = vectors.Select(Normalised).ToArray();
        var centres = PlusPlusStart(unit, count, new Random(seed));
        var assignment = new int[n];
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            bool changed = iteration == 0;
            for (int i = 0; i < n; i++)
            {
                int best = Nearest(unit[i], centres);
                if (best != assignment[i]) (assignment[i], changed) = (best, true);
            }
            if (!changed) break;
            centres = Means(unit, assignment, centres);
        }
        var picked = Enumerable.Range(0, count)
            .Select(c => Enumerable.Range(0, n).Where(i => assignment[i] == c).OrderByDescending(i => uncertainty[i]).ThenBy(i => i).DefaultIfEmpty(-1).First())
            .Where(i => i >= 0).ToList();
        var taken = picked.ToHashSet();
        picked.AddRange(Enumerable.Range(0, n).Where(i => !taken.Contains(i)).OrderByDescending(i => uncertainty[i]).ThenBy(i => i).Take(count - picked.Count));
        return [.. picked.OrderByDescending(i => uncertainty[i]).ThenBy(i => i)];
    }

    static float[] Normalised(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return norm > 0 ? [.. v.Select(x => (float)(x / norm))] : [.. v];
    }

    static double Distance(float[] a, float[] b)
    {
        double sum = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double d = a[j] - b[j];
            sum += d * d;
        }
        return sum;
    }

    static int Nearest(float[] v, float[][] centres)
    {
        int best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int c = 0; c < centres.Length; c++)
        {
            double d = Distance(v, centres[c]);
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        return best;
    }

    /// <summary>k-means++: the first centre at random, each next one drawn with probability proportional to its squared distance from the nearest centre.</summary>
    static float[][] PlusPlusStart(float[][] points, int k, Random random)
    {
        var centres = new List<float[]> { points[random.Next(points.Length)] };
        var nearest = points.Select(p => Distance(p, centres[0])).ToArray();
        while (centres.Count < k)
        {
            double total = nearest.Sum();
            int next;
            if (total <= 0) next = random.Next(points.Length); // every point sits on a centre already
            else
            {
                double target = random.NextDouble() * total;
                next = 0;
                for (double running = nearest[0]; running < target && next < points.Length - 1; running += nearest[++next]) { }
            }
            centres.Add(points[next]);
            for (int i = 0; i < points.Length; i++) nearest[i] = Math.Min(nearest[i], Distance(points[i], points[next]));
        }
        return [.. centres];
    }

    static float[][] Means(float[][] points, int[] assignment, float[][] previous)
    {
        int dims = points[0].Length;
        var sums = previous.Select(_ => new double[dims]).ToArray();
        var counts = new int[previous.Length];
        for (int i = 0; i < points.Length; i++)
        {
            counts[assignment[i]]++;
            for (int j = 0; j < dims; j++) sums[assignment[i]][j] += points[i][j];
        }
        return [.. previous.Select((centre, c) => counts[c] == 0 ? centre : sums[c].Select(s => (float)(s / counts[c])).ToArray())];
    }
}
