namespace TypedBert.Search.Sampling;

/// <summary>Independent uniform coordinates (Bergstra and Bengio 2012: random search beats a grid when few dimensions matter).</summary>
public sealed class RandomSampler(int seed) : ISampler
{
    /// <inheritdoc/>
    public IReadOnlyList<double> Point(int number, int dimensions)
    {
        // One generator per trial, seeded by the trial's number, as the trainer seeds each epoch's order.
        var random = new Random(unchecked(seed * 1_000_003 + number));
        return [.. Enumerable.Range(0, dimensions).Select(_ => random.NextDouble())];
    }

    /// <inheritdoc/>
    public string Describe() => $"random, seed {seed}";
}
