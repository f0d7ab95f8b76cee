using TypedBert.Classification;

namespace TypedBert.Suggestions;

/// <summary>
/// The choice itself, apart from any model: which of the eligible pool texts a strategy takes, given their probabilities and (for
/// <see cref="SuggestionStrategy.Diverse"/>) a way to embed candidates. Ties go to the earlier pool text, so the result is a function of
/// the pool, the scores and the seed.
/// </summary>
internal static class SuggestionSelector
{
    /// <summary>The pool indexes to suggest, in the order to show them (most uncertain first; random: the seed's order).</summary>
    /// <param name="options">Strategy, seed and candidate count.</param>
    /// <param name="problemType">How to read the probabilities.</param>
    /// <param name="eligible">Pool indexes that may be suggested, in pool order.</param>
    /// <param name="count">How many to take at most.</param>
    /// <param name="scoresOf">Probabilities of the texts at the given pool indexes (in the same order); not called for random.</param>
    /// <param name="embed">Embeddings of the texts at the given pool indexes; called for diverse only, with its candidates.</param>
    public static List<int> Select(SuggestionOptions options, ProblemType problemType, IReadOnlyList<int> eligible, int count,
        Func<IReadOnlyList<int>, IReadOnlyList<IReadOnlyList<float>>> scoresOf, Func<IReadOnlyList<int>, float[][]> embed)
    {
        if (eligible.Count == 0) return [];
        if (options.Strategy == SuggestionStrategy.Random)
        {
            var shuffled = eligible.ToArray();
            new Random(options.Seed).Shuffle(shuffled);
            return [.. shuffled.Take(count)];
        }
        var scores = scoresOf(eligible);
        var uncertainty = scores.Select(s => UncertaintyMeasure.Of(options.Strategy, s, problemType)).ToArray();
        var ranked = Enumerable.Range(0, eligible.Count).OrderByDescending(i => uncertainty[i]).ThenBy(i => eligible[i]);
        if (options.Strategy != SuggestionStrategy.Diverse) return [.. ranked.Take(count).Select(i => eligible[i])];

        var candidates = ranked.Take((int)Math.Min(eligible.Count, (long)count * options.CandidatesPerSuggestion)).ToArray();
        if (candidates.Length <= count) return [.. candidates.Select(i => eligible[i])];
        var vectors = embed([.. candidates.Select(i => eligible[i])]);
        var picked = DiverseSelection.Pick(vectors, [.. candidates.Select(i => uncertainty[i])], count, options.Seed);
        return [.. picked.Select(p => eligible[candidates[p]])];
    }
}
