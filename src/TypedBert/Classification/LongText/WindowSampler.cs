namespace TypedBert.Classification.LongText;

/// <summary>Picks the training windows of one epoch: every window of a short document, at most a cap of a long one.</summary>
public static class WindowSampler
{
    /// <summary>
    /// Indexes into <paramref name="document"/> (one entry per input, its document's index) of the inputs to train on this epoch: all of a
    /// document's when it has at most <paramref name="cap"/>, else <paramref name="cap"/> drawn without replacement by <paramref name="random"/>,
    /// kept in input order. The count is the same every epoch, so the schedule's step count is known before training.
    /// </summary>
    public static int[] Select(IReadOnlyList<int> document, int? cap, Random random)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(random);
        if (cap is null) return [.. Enumerable.Range(0, document.Count)];
        var selected = new List<int>();
        foreach (var group in Enumerable.Range(0, document.Count).GroupBy(i => document[i]))
        {
            var members = group.ToArray();
            if (members.Length > cap.Value)
            {
                random.Shuffle(members);
                members = [.. members.Take(cap.Value).Order()];
            }
            selected.AddRange(members);
        }
        return [.. selected];
    }

    /// <summary>How many inputs <see cref="Select"/> returns.</summary>
    public static int Count(IReadOnlyList<int> document, int? cap) =>
        cap is null ? document.Count : document.GroupBy(d => d).Sum(g => Math.Min(g.Count(), cap.Value));
}
