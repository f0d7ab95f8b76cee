using TypedBert.Training;

namespace TypedBert.Tests.Training;

/// <summary>
/// The length-grouped batch order (<c>TrainingOptions.GroupByLength</c>): every example once per epoch, batches of similar lengths,
/// the batches themselves in a shuffled order, and the same order for the same seed.
/// </summary>
public sealed class LengthGroupedSamplerTests
{
    const int BatchSize = 8;

    /// <summary>1,000 lengths drawn uniformly from 1 to 200 by a generator of the test's own.</summary>
    static int[] Lengths()
    {
        var random = new Random(1234);
        return [.. Enumerable.Range(0, 1000).Select(_ => random.Next(1, 201))];
    }

    [Fact]
    public void Every_index_appears_exactly_once_in_full_batches()
    {
        var lengths = Lengths();
        var batches = BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5));
        Assert.Equal(Enumerable.Range(0, lengths.Length), batches.SelectMany(b => b).Order());
        // Mega-batches of 50 × 8 = 400: 400 + 400 + 200 examples, each cut into batches of 8, so 125 full batches.
        Assert.Equal(125, batches.Count);
        Assert.All(batches, b => Assert.Equal(BatchSize, b.Length));

        // A count that does not divide: 13 examples in batches of 4 are 4 + 4 + 4 + 1, every index once.
        var small = BatchSampler.GroupedByLength([.. Enumerable.Range(0, 13)], 4, new Random(5));
        Assert.Equal(Enumerable.Range(0, 13), small.SelectMany(b => b).Order());
        Assert.Equal([1, 4, 4, 4], small.Select(b => b.Length).Order());
    }

    [Fact]
    public void A_batch_holds_texts_of_similar_length_and_pads_far_less_than_a_plain_shuffle()
    {
        var lengths = Lengths();
        var grouped = BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5));
        var shuffled = BatchSampler.Shuffled(lengths.Length, BatchSize, new Random(5));
        // Within a mega-batch of 400 sorted lengths spread over 1..200, 8 neighbours span about 4; a random batch of 8 about 155.
        double groupedSpan = grouped.Average(b => b.Max(i => lengths[i]) - b.Min(i => lengths[i]));
        double shuffledSpan = shuffled.Average(b => b.Max(i => lengths[i]) - b.Min(i => lengths[i]));
        Assert.True(groupedSpan <= 10, $"grouped batches span {groupedSpan} length units on average; sorted neighbours span about 4");
        Assert.True(shuffledSpan >= 100, $"the plain shuffle spans only {shuffledSpan}: the comparison says nothing");
        Assert.True(Padding(grouped, lengths) * 10 < Padding(shuffled, lengths), "length grouping saves less than 90 % of the padding");
    }

    [Fact]
    public void The_batches_come_in_a_shuffled_order_not_longest_first()
    {
        var lengths = Lengths();
        var batches = BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5));
        var longest = batches.Select(b => b.Max(i => lengths[i])).ToList();
        // Sorted mega-batches left in place would give 50 descending runs; a shuffle rises between neighbours about half the time.
        int rises = longest.Zip(longest.Skip(1), (a, b) => b > a ? 1 : 0).Sum();
        Assert.InRange(rises, 40, 85);
    }

    [Fact]
    public void The_same_seed_gives_the_same_batches_and_another_seed_others()
    {
        var lengths = Lengths();
        static string Key(List<int[]> batches) => string.Join(';', batches.Select(b => string.Join(',', b)));
        Assert.Equal(Key(BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5))), Key(BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5))));
        Assert.NotEqual(Key(BatchSampler.GroupedByLength(lengths, BatchSize, new Random(5))), Key(BatchSampler.GroupedByLength(lengths, BatchSize, new Random(6))));
    }

    /// <summary>Pad tokens a batch order costs: each batch padded to its longest text.</summary>
    static long Padding(List<int[]> batches, int[] lengths) => batches.Sum(b => (long)b.Length * b.Max(i => lengths[i]) - b.Sum(i => lengths[i]));
}
