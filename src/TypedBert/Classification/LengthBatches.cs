namespace TypedBert.Classification;

/// <summary>
/// How batch prediction cuts its inputs into forward passes: texts of one length together, so that a pass over them has no
/// padding at all (and an engine can leave the attention mask out), and the rest sorted by length, so that each padded pass
/// pads little. The caller puts each result back at its input's index, so the order of the passes never reaches the caller.
/// </summary>
internal static class LengthBatches
{
    /// <summary>The smallest batch worth running unpadded: fewer texts of one length join the padded rest.</summary>
    public const int MinimumUnpadded = 4;

    /// <summary>The input indexes of each forward pass: unpadded passes of equal lengths first, then the padded rest, longest first.</summary>
    /// <param name="lengths">Each input's length in tokens.</param>
    /// <param name="batchSize">Most inputs per pass.</param>
    public static List<int[]> Of(IReadOnlyList<int> lengths, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batches = new List<int[]>();
        var rest = new List<int>();
        foreach (var group in Enumerable.Range(0, lengths.Count).GroupBy(i => lengths[i]).OrderByDescending(g => g.Key))
        {
            var members = group.ToArray();
            int minimum = Math.Min(MinimumUnpadded, batchSize), start = 0;
            // Full passes of this length; a remainder too small to be worth its own pass joins the padded rest.
            while (members.Length - start >= minimum)
            {
                int take = Math.Min(batchSize, members.Length - start);
                batches.Add(members[start..(start + take)]);
                start += take;
            }
            rest.AddRange(members[start..]);
        }
        // rest is already longest first (groups were visited that way), so consecutive chunks are of near lengths.
        batches.AddRange(rest.Chunk(batchSize));
        return batches;
    }
}
