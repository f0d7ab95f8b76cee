namespace TypedBert.Training;

/// <summary>Orders training examples into batches for one epoch.</summary>
internal static class BatchSampler
{
    /// <summary>A seeded shuffle cut into batches.</summary>
    public static List<int[]> Shuffled(int count, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order.Chunk(batchSize).ToList();
    }

    /// <summary>
    /// Like Hugging Face's LengthGroupedSampler: shuffle, cut into mega-batches of 50 batches, sort each by length so that a batch
    /// holds texts of similar length (little padding), then shuffle the order of the batches.
    /// </summary>
    public static List<int[]> GroupedByLength(IReadOnlyList<int> lengths, int batchSize, Random random)
    {
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = order.Chunk(batchSize * 50)
            .SelectMany(mega => mega.OrderByDescending(i => lengths[i]).Chunk(batchSize))
            .ToArray();
        random.Shuffle(batches);
        return [.. batches];
    }
}
