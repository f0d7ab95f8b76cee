using TypedBert.Search;
using TypedBert.Search.Sampling;

namespace TypedBert.Tests.Search;

/// <summary>The random and the scrambled Halton sampler: determinism, range, the log scale, and how evenly they cover the space.</summary>
public sealed class SamplerTests
{
    public static TheoryData<string> Samplers => ["random", "halton"];

    static ISampler Create(string kind, int seed) => kind == "random" ? new RandomSampler(seed) : new HaltonSampler(seed);

    static double[][] Points(ISampler sampler, int count, int dimensions) =>
        [.. Enumerable.Range(0, count).Select(i => sampler.Point(i, dimensions).ToArray())];

    [Theory]
    [MemberData(nameof(Samplers))]
    public void The_same_seed_gives_the_same_points_in_any_order_and_another_seed_other_points(string kind)
    {
        var first = Points(Create(kind, 7), 20, 4);
        var again = Create(kind, 7);
        for (int i = 19; i >= 0; i--) Assert.Equal(first[i], again.Point(i, 4)); // a resumed search asks for trial 5 without 0 to 4
        var other = Points(Create(kind, 8), 20, 4);
        Assert.NotEqual(first.SelectMany(p => p), other.SelectMany(p => p));
    }

    [Theory]
    [MemberData(nameof(Samplers))]
    public void Every_coordinate_lies_in_zero_to_one(string kind)
    {
        foreach (var point in Points(Create(kind, 3), 500, 9))
            Assert.All(point, c => Assert.InRange(c, 0.0, Math.BitDecrement(1.0)));
    }

    [Fact]
    public void Halton_puts_one_point_in_each_interval_of_its_base_powers()
    {
        // Base 2 in the first coordinate, 3 in the second, 5 in the third: the first b^m points hit each of the b^m intervals once.
        var points = Points(new HaltonSampler(11), 125, 3);
        foreach (var (dimension, count) in new[] { (0, 8), (0, 64), (1, 9), (1, 27), (2, 25), (2, 125) })
        {
            var cells = points.Take(count).Select(p => (int)Math.Floor(p[dimension] * count)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, count), cells);
        }
    }

    /// <summary>The L2-star discrepancy (Warnock's formula): how far the points' share of boxes [0, x) strays from the boxes' volume.</summary>
    static double Discrepancy(double[][] points)
    {
        int n = points.Length, d = points[0].Length;
        double sum1 = points.Sum(p => p.Aggregate(1.0, (product, x) => product * (1 - x * x)));
        double sum2 = 0;
        foreach (var p in points)
            foreach (var q in points)
                sum2 += Enumerable.Range(0, d).Aggregate(1.0, (product, k) => product * (1 - Math.Max(p[k], q[k])));
        return Math.Sqrt(Math.Pow(3, -d) - Math.Pow(2, 1 - d) / n * sum1 + sum2 / ((double)n * n));
    }

    [Fact]
    public void Halton_covers_the_space_more_evenly_than_random_points_and_far_more_than_clustered_ones()
    {
        // 27 trials over 3 searched dimensions: every scrambling of the sequence beats every one of 20 random draws.
        var halton = Enumerable.Range(0, 5).Select(seed => Discrepancy(Points(new HaltonSampler(seed), 27, 3))).ToList();
        var random = Enumerable.Range(0, 20).Select(seed => Discrepancy(Points(new RandomSampler(seed), 27, 3))).ToList();
        Assert.True(halton.Max() < random.Min(), $"Halton {string.Join(", ", halton.Select(h => h.ToString("0.0000")))}; random from {random.Min():0.0000}");
        var clustered = Points(new RandomSampler(1), 27, 3).Select(p => p.Select(c => 0.3 + 0.2 * c).ToArray()).ToArray();
        Assert.True(halton.Max() < Discrepancy(clustered) / 3, $"Halton up to {halton.Max():0.0000}, clustered {Discrepancy(clustered):0.0000}");

        // 12 trials over all 9 training hyperparameters: less room to be even, still well ahead on average.
        double haltonMean = Enumerable.Range(0, 5).Average(seed => Discrepancy(Points(new HaltonSampler(seed), 12, 9)));
        double randomMean = Enumerable.Range(0, 20).Average(seed => Discrepancy(Points(new RandomSampler(seed), 12, 9)));
        Assert.True(haltonMean < 0.75 * randomMean, $"12 points in 9 dimensions: Halton {haltonMean:0.0000}, random {randomMean:0.0000}");
    }

    [Fact]
    public void A_log_uniform_dimension_spreads_values_evenly_in_their_logarithm()
    {
        var dimension = new LogUniformDimension("learning_rate", 1e-5, 1e-3);
        Assert.Equal(1e-4, (double)dimension.ValueAt(0.5), 12);   // the geometric mean, not 5.05e-4
        Assert.Equal(1e-5, (double)dimension.ValueAt(0), 15);
        var values = Points(new RandomSampler(2), 2000, 1).Select(p => (double)dimension.ValueAt(p[0])).ToList();
        Assert.All(values, v => Assert.InRange(v, 1e-5, 1e-3));
        double belowGeometricMean = values.Count(v => v < 1e-4) / (double)values.Count;
        Assert.InRange(belowGeometricMean, 0.45, 0.55);         // a uniform draw would put 9 % of them below 1e-4
        var uniform = new UniformDimension("warmup_ratio", 1e-5, 1e-3);
        Assert.InRange(values.Select((_, i) => (double)uniform.ValueAt(i / 2000.0)).Count(v => v < 1e-4) / 2000.0, 0.08, 0.10);
    }

    [Fact]
    public void Integer_and_categorical_dimensions_take_every_value_equally_often()
    {
        var epochs = new IntDimension("epochs", 2, 4);
        var pooling = new CategoricalDimension("pooling", ["Mean", "Cls"]);
        var points = Points(new HaltonSampler(4), 60, 2);
        Assert.All(points.GroupBy(p => (int)epochs.ValueAt(p[0])), g => Assert.InRange(g.Count(), 19, 21));
        Assert.Equal([2, 3, 4], points.Select(p => (int)epochs.ValueAt(p[0])).Distinct().Order());
        Assert.InRange(points.Count(p => (string)pooling.ValueAt(p[1]) == "Mean"), 27, 33);
        Assert.Equal(4, epochs.ValueAt(Math.BitDecrement(1.0)));
    }
}
