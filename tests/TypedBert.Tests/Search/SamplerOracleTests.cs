using TypedBert.Search.Sampling;

namespace TypedBert.Tests.Search;

/// <summary>
/// Properties of the samplers that hold for any seed and are worked out by hand from their definitions, and the recorded points a
/// saved search depends on (a resumed study must give trial n the parameters it gave before).
/// </summary>
public sealed class SamplerOracleTests
{
    static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

    [Fact]
    public void The_first_b_halton_points_of_a_base_b_coordinate_are_exactly_one_b_th_apart()
    {
        // Points 0..b-1 differ only in their first digit, which the scrambling maps onto 0..b-1 once each; every later digit is 0
        // for all of them and adds the same offset. So, sorted, consecutive coordinates are 1/b apart and all lie in [0, 1).
        var sampler = new HaltonSampler(5);
        for (int d = 0; d < 6; d++)
        {
            int b = Primes[d];
            var values = Enumerable.Range(0, b).Select(i => sampler.Point(i, d + 1)[d]).Order().ToArray();
            for (int i = 1; i < b; i++) Assert.Equal(1.0 / b, values[i] - values[i - 1], 12);
            Assert.InRange(values[0], 0, 1.0 / b);
        }
    }

    [Fact]
    public void Points_b_apart_in_base_b_share_their_first_scrambled_digit_and_differ_by_a_multiple_of_one_over_b_squared()
    {
        // i and i + b have the same first digit and second digits 0 and 1: their coordinates differ by (π₁(1) − π₁(0)) / b², a non-zero
        // multiple of 1/b² below 1/b in size.
        var sampler = new HaltonSampler(9);
        foreach (int d in new[] { 0, 1, 2 })
        {
            int b = Primes[d];
            for (int i = 0; i < b; i++)
            {
                double difference = sampler.Point(i + b, 3)[d] - sampler.Point(i, 3)[d];
                double steps = difference * b * b;
                Assert.Equal(Math.Round(steps), steps, 9);
                Assert.NotEqual(0, Math.Round(steps));
                Assert.InRange(Math.Abs(difference), 0, 1.0 / b);
            }
        }
    }

    [Fact]
    public void Halton_takes_25_dimensions_and_refuses_26_or_a_negative_trial()
    {
        var sampler = new HaltonSampler(1);
        Assert.Equal(25, sampler.Point(3, 25).Count);
        Assert.Equal(25, sampler.Point(3, 25).Distinct().Count());
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Point(0, 26));
        Assert.Contains("the Halton sampler takes at most 25 dimensions", tooMany.Message);
        Assert.Equal("dimensions", tooMany.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Point(-1, 2));
        Assert.Empty(sampler.Point(0, 0));
    }

    [Fact]
    public void Halton_points_of_a_large_trial_number_are_all_different()
    {
        // 8^… distinct indices differ in some digit, and every digit position below a double's precision is scrambled by a permutation.
        var sampler = new HaltonSampler(4);
        var values = Enumerable.Range(0, 4096).Select(i => sampler.Point(i * 997 + 100_000, 1)[0]).ToArray();
        Assert.Equal(values.Length, values.Distinct().Count());
    }

    [Fact]
    public void Samplers_describe_themselves_with_their_seed()
    {
        Assert.Equal("scrambled Halton, seed 12", new HaltonSampler(12).Describe());
        Assert.Equal("random, seed 12", new RandomSampler(12).Describe());
    }

    [Fact]
    public void A_random_point_is_one_generator_per_trial_seeded_by_seed_and_trial_as_recorded()
    {
        // The documented seeding (seed · 1,000,003 + trial), which saved studies depend on: trial 3 of seed 7 uses generator 7,000,024.
        var expected = new Random(7 * 1_000_003 + 3);
        var point = new RandomSampler(7).Point(3, 4);
        Assert.Equal([expected.NextDouble(), expected.NextDouble(), expected.NextDouble(), expected.NextDouble()], point);
        Assert.NotEqual(new RandomSampler(7).Point(2, 4), point);
        Assert.NotEqual(new RandomSampler(6).Point(3, 4), point);
    }
}
