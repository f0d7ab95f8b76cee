namespace TypedBert.Search.Sampling;

/// <summary>
/// Chooses the point each trial tries, in the unit cube of the searched dimensions (Optuna's samplers, without the history: a point depends
/// only on the sampler's seed and the trial's number, so a resumed search gives each trial the parameters an uninterrupted one would).
/// </summary>
public interface ISampler
{
    /// <summary>The point of trial <paramref name="number"/> (from 0): <paramref name="dimensions"/> coordinates, each in [0, 1).</summary>
    IReadOnlyList<double> Point(int number, int dimensions);

    /// <summary>The sampler and its seed in words; a change of it makes a saved search another search.</summary>
    string Describe();
}
