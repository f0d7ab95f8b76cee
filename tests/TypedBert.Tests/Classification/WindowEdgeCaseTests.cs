using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Training;

namespace TypedBert.Tests.Classification;

/// <summary>
/// Edges of the window code that mutation testing found unguarded: logits far outside exp's range, windows that are all certain,
/// empty and null inputs, the order of the windows a capped document keeps, and the batch sampler's shuffles.
/// </summary>
public sealed class WindowEdgeCaseTests
{
    [Fact]
    public void The_mean_of_probabilities_stays_finite_for_huge_and_certain_logits()
    {
        // Softmax of [1000, 0] and [0, 1000] is one-hot each way: the mean is [0.5, 0.5], log 0.5 each (exp(1000) overflows unless
        // the row's largest logit is subtracted first).
        var single = WindowAggregator.Aggregate([[1000f, 0f], [0f, 1000f]], WindowAggregation.MeanProbability, ProblemType.SingleLabel);
        Assert.All(single, v => Assert.Equal(Math.Log(0.5), v, 5));
        // Every window certain of a label (sigmoid 1 in double): the clamp keeps the logit finite, at logit(1 - 1e-12) ≈ 27.6.
        var multi = WindowAggregator.Aggregate([[100f, -100f], [100f, -100f]], WindowAggregation.MeanProbability, ProblemType.MultiLabel);
        Assert.Equal(Math.Log((1 - 1e-12) / 1e-12), multi[0], 2);
        Assert.Equal(Math.Log(1e-12 / (1 - 1e-12)), multi[1], 2);
    }

    [Fact]
    public void No_windows_or_null_are_refused_as_arguments()
    {
        Assert.Contains("at least one window", Assert.Throws<ArgumentException>(() => WindowAggregator.Aggregate([], WindowAggregation.Mean, ProblemType.SingleLabel)).Message);
        Assert.Throws<ArgumentNullException>(() => WindowAggregator.Aggregate(null!, WindowAggregation.Mean, ProblemType.SingleLabel));
        Assert.Throws<ArgumentNullException>(() => WindowSampler.Select(null!, 2, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => WindowSampler.Select([0, 0], 2, null!));
    }

    [Fact]
    public void A_capped_document_keeps_its_drawn_windows_in_reading_order()
    {
        int[] document = [.. Enumerable.Repeat(0, 12)];
        for (int seed = 0; seed < 5; seed++)
        {
            var chosen = WindowSampler.Select(document, 4, new Random(seed));
            Assert.Equal(chosen.Order(), chosen);
        }
    }

    [Fact]
    public void Plain_batches_are_shuffled_and_length_grouping_mixes_the_whole_set_before_sorting()
    {
        var plain = BatchSampler.Shuffled(100, 10, new Random(1)).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 100), plain.Order());
        Assert.NotEqual(Enumerable.Range(0, 100), plain);

        // Mega-batches are 400 examples; without the first shuffle each would hold indices 0-399, 400-799, ... and every batch one block.
        var random = new Random(9);
        int[] lengths = [.. Enumerable.Range(0, 1000).Select(_ => random.Next(1, 201))];
        var batches = BatchSampler.GroupedByLength(lengths, 8, new Random(5));
        Assert.Contains(batches, b => b.Select(i => i / 400).Distinct().Count() > 1);
    }
}
