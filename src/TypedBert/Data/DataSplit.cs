namespace TypedBert.Data;

/// <summary>
/// Seeded splits of a data set: an evaluation slice carved off the training data when there is no evaluation file (AG News has no
/// development split), and a smaller training subset for affordable searches. Each part keeps the items in their original order, so
/// the trainer's own seed alone decides the batches.
/// </summary>
public static class DataSplit
{
    /// <summary>
    /// Splits <paramref name="items"/> into the remaining items and a held-out share of <paramref name="fraction"/> (at least one item each),
    /// chosen by a shuffle seeded with <paramref name="seed"/>: the same items, fraction and seed give the same split.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction is outside (0, 1), or there are too few items to leave one on each side.</exception>
    public static (List<T> Remaining, List<T> HeldOut) HoldOut<T>(IReadOnlyList<T> items, double fraction, int seed)
    {
        if (fraction is not (> 0 and < 1)) throw new ArgumentException($"the evaluation fraction must be between 0 and 1 (such as 0.1), not {fraction}", nameof(fraction));
        if (items.Count < 2) throw new ArgumentException($"{items.Count} training example(s) cannot be split into training and evaluation; give an evaluation file", nameof(items));
        int heldOut = Math.Clamp((int)Math.Round(fraction * items.Count), 1, items.Count - 1);
        var chosen = Shuffled(items.Count, seed).Take(heldOut).ToHashSet();
        return ([.. items.Where((_, i) => !chosen.Contains(i))], [.. items.Where((_, i) => chosen.Contains(i))]);
    }

    /// <summary><paramref name="count"/> items of <paramref name="items"/> chosen by a shuffle seeded with <paramref name="seed"/> (all of them when there are fewer).</summary>
    /// <exception cref="ArgumentException">The count is below 1.</exception>
    public static List<T> Sample<T>(IReadOnlyList<T> items, int count, int seed)
    {
        if (count < 1) throw new ArgumentException($"a subset needs at least 1 row, not {count}", nameof(count));
        if (count >= items.Count) return [.. items];
        var chosen = Shuffled(items.Count, seed).Take(count).ToHashSet();
        return [.. items.Where((_, i) => chosen.Contains(i))];
    }

    static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }
}
