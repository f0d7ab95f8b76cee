using TypedBert.Classification;
using TypedBert.Suggestions;

namespace TypedBert.Tests.Suggestions;

/// <summary>
/// Each strategy on hand-made probabilities and embeddings, apart from any model: the texts it must pick are written down by hand from
/// the definitions (1 - max p; 1 - (p1 - p2); -Σ p ln p; one per cluster), not computed by the code under test.
/// </summary>
public sealed class SuggestionSelectorTests
{
    static List<int> Select(SuggestionStrategy strategy, float[][] scores, int count, float[][]? vectors = null, int seed = 42, int candidatesPerSuggestion = 10)
    {
        var options = new SuggestionOptions { Strategy = strategy, Seed = seed, CandidatesPerSuggestion = candidatesPerSuggestion };
        return SuggestionSelector.Select(options, ProblemType.SingleLabel, [.. Enumerable.Range(0, scores.Length)], count,
            indexes => [.. indexes.Select(i => scores[i])],
            indexes => [.. indexes.Select(i => vectors![i])]);
    }

    [Fact]
    public void Margin_picks_the_texts_closest_to_the_boundary_closest_first()
    {
        float[][] scores = [[0.9f, 0.1f], [0.52f, 0.48f], [0.7f, 0.3f], [0.45f, 0.55f], [0.99f, 0.01f], [0.6f, 0.4f]];
        // Gaps |p1 - p2| by hand: 0.8, 0.04, 0.4, 0.1, 0.98, 0.2: the smallest are texts 1, 3, 5.
        Assert.Equal([1, 3, 5], Select(SuggestionStrategy.Margin, scores, 3));
    }

    [Fact]
    public void Least_confidence_margin_and_entropy_each_pick_what_their_definition_says()
    {
        // Text 0: [0.45, 0.45, 0.10]: 1 - max = 0.55, 1 - gap = 1.00, entropy = 0.949 nats.
        // Text 1: [0.50, 0.25, 0.25]: 1 - max = 0.50, 1 - gap = 0.75, entropy = 1.040 nats.
        // Text 2: [0.48, 0.26, 0.26]: 1 - max = 0.52, 1 - gap = 0.78, entropy = 1.053 nats.
        // Text 3: [0.90, 0.05, 0.05]: sure by every measure.
        float[][] scores = [[0.45f, 0.45f, 0.10f], [0.50f, 0.25f, 0.25f], [0.48f, 0.26f, 0.26f], [0.90f, 0.05f, 0.05f]];
        Assert.Equal([0, 2], Select(SuggestionStrategy.LeastConfidence, scores, 2));
        Assert.Equal([0, 2], Select(SuggestionStrategy.Margin, scores, 2));
        Assert.Equal([2, 1], Select(SuggestionStrategy.Entropy, scores, 2));
        Assert.Equal(0.55, UncertaintyMeasure.Of(SuggestionStrategy.LeastConfidence, scores[0], ProblemType.SingleLabel), 5);
        Assert.Equal(0.75, UncertaintyMeasure.Of(SuggestionStrategy.Margin, scores[1], ProblemType.SingleLabel), 5);
        Assert.Equal(-(0.5 * Math.Log(0.5) + 0.5 * Math.Log(0.25)), UncertaintyMeasure.Of(SuggestionStrategy.Entropy, scores[1], ProblemType.SingleLabel), 5);
    }

    [Fact]
    public void Multi_label_uncertainty_is_the_mean_of_each_labels_yes_no_measure()
    {
        // Label probabilities 0.5 and 0.9: margins |0.5 - 0.5| = 0 and |0.9 - 0.1| = 0.8, so 1 - gap is 1 and 0.2, mean 0.6.
        Assert.Equal(0.6, UncertaintyMeasure.Of(SuggestionStrategy.Margin, [0.5f, 0.9f], ProblemType.MultiLabel), 5);
        Assert.Throws<NotSupportedException>(() => UncertaintyMeasure.Of(SuggestionStrategy.Margin, [1.5f], ProblemType.Regression));
    }

    [Fact]
    public void Diverse_takes_one_text_per_cluster_where_margin_takes_the_most_uncertain_cluster()
    {
        // Three tight clusters in the plane. Cluster A (texts 0-5) holds the six most uncertain texts; B (6-8) and C (9-11) are less
        // uncertain, each with one text (7 and 11) more uncertain than its neighbours.
        float[][] vectors =
        [
            [1f, 0.01f], [1f, 0.02f], [1f, 0.03f], [1f, -0.01f], [1f, -0.02f], [1f, -0.03f],
            [0.01f, 1f], [0.02f, 1f], [-0.01f, 1f],
            [-1f, 0.01f], [-1f, 0.02f], [-1f, -0.01f],
        ];
        float[] top = [0.50f, 0.51f, 0.505f, 0.515f, 0.52f, 0.525f, 0.80f, 0.70f, 0.85f, 0.90f, 0.88f, 0.75f];
        float[][] scores = [.. top.Select(p => new[] { p, 1 - p })];

        Assert.Equal([0, 2, 1], Select(SuggestionStrategy.Margin, scores, 3));
        // One per cluster, each the most uncertain of its cluster (0 in A, 7 in B, 11 in C), most uncertain first.
        Assert.Equal([0, 7, 11], Select(SuggestionStrategy.Diverse, scores, 3, vectors));
        foreach (int seed in new[] { 1, 2, 3, 4, 5 })
            Assert.Equal([0, 7, 11], Select(SuggestionStrategy.Diverse, scores, 3, vectors, seed));
    }

    [Fact]
    public void Diverse_clusters_only_the_most_uncertain_candidates()
    {
        float[][] vectors = [[1f, 0f], [1f, 0.01f], [0f, 1f], [0f, 1.01f], [-1f, 0f]];
        float[][] scores = [[0.5f, 0.5f], [0.55f, 0.45f], [0.6f, 0.4f], [0.65f, 0.35f], [0.99f, 0.01f]];
        // Two candidates per suggestion, two suggestions: texts 0-3 are clustered; the sure text 4, alone in its corner, is never a candidate.
        Assert.Equal([0, 2], Select(SuggestionStrategy.Diverse, scores, 2, vectors, candidatesPerSuggestion: 2));
    }

    [Fact]
    public void Random_is_the_same_for_a_seed_different_across_seeds_and_never_repeats_a_text()
    {
        float[][] scores = [.. Enumerable.Range(0, 200).Select(_ => new[] { 0.5f, 0.5f })];
        var first = Select(SuggestionStrategy.Random, scores, 20, seed: 7);
        Assert.Equal(first, Select(SuggestionStrategy.Random, scores, 20, seed: 7));
        Assert.NotEqual(first, Select(SuggestionStrategy.Random, scores, 20, seed: 8));
        Assert.Equal(20, first.Distinct().Count());
        Assert.NotEqual([.. Enumerable.Range(0, 20)], first); // a sample, not the head of the pool
    }

    [Fact]
    public void Ties_go_to_the_earlier_text()
    {
        float[][] scores = [[0.9f, 0.1f], [0.5f, 0.5f], [0.5f, 0.5f], [0.5f, 0.5f]];
        Assert.Equal([1, 2], Select(SuggestionStrategy.Margin, scores, 2));
    }

    [Fact]
    public void Labelled_and_repeated_texts_are_not_eligible_after_trimming_and_blank_ones_never()
    {
        string[] pool = ["a good film", "  a bad film\r", "a good film", "", "a fine film ", "   "];
        // "a bad film" is labelled (written without the spaces and \r); "a good film" is eligible once, at its first position.
        Assert.Equal([0, 4], PoolText.Eligible(pool, ["a bad film"]));
        Assert.Equal([0, 1, 4], PoolText.Eligible(pool, null));
    }
}
