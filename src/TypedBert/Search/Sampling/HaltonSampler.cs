namespace TypedBert.Search.Sampling;

/// <summary>
/// A scrambled Halton sequence: quasi-random points that fill the space evenly, so a dozen trials leave no large region untried as
/// random points can. Coordinate d of point i is the radical inverse of i in the d-th prime base, each digit mapped through a random
/// permutation of the digits (one per dimension and digit position, drawn from the seed), which breaks the plain sequence's correlation
/// between dimensions with large bases while keeping its balance: the first b^m points put one point in each of the b^m equal intervals
/// of a base-b coordinate.
/// </summary>
public sealed class HaltonSampler(int seed) : ISampler
{
    static readonly int[] Primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97];

    readonly Dictionary<int, int[][]> permutations = [];

    /// <inheritdoc/>
    public IReadOnlyList<double> Point(int number, int dimensions)
    {
        if (dimensions > Primes.Length) throw new ArgumentOutOfRangeException(nameof(dimensions), $"the Halton sampler takes at most {Primes.Length} dimensions");
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return [.. Enumerable.Range(0, dimensions).Select(d => Coordinate(number, d))];
    }

    double Coordinate(int index, int dimension)
    {
        int b = Primes[dimension];
        var digitPermutations = Permutations(dimension);
        double value = 0, scale = 1.0 / b;
        // Every digit position is scrambled, the leading zeros of small indices included; otherwise the early points of every dimension
        // would share the plain sequence's values near 0.
        foreach (var permutation in digitPermutations)
        {
            value += permutation[index % b] * scale;
            index /= b;
            scale /= b;
        }
        return value;
    }

    int[][] Permutations(int dimension)
    {
        lock (permutations)
        {
            if (permutations.TryGetValue(dimension, out var known)) return known;
            int b = Primes[dimension];
            int digits = (int)Math.Ceiling(52 * Math.Log(2) / Math.Log(b)); // digits beyond a double's precision change nothing
            var random = new Random(unchecked(seed * 7_919 + dimension));
            var made = new int[digits][];
            for (int k = 0; k < digits; k++)
            {
                made[k] = [.. Enumerable.Range(0, b)];
                random.Shuffle(made[k]);
            }
            return permutations[dimension] = made;
        }
    }

    /// <inheritdoc/>
    public string Describe() => $"scrambled Halton, seed {seed}";
}
