namespace TypedBert.Search;

/// <summary>
/// The hyperparameters a search tries and the values each may take. Dimensions with one value (<see cref="SearchDimension.IsFixed"/>) are
/// recorded in every trial but take no coordinate of the sampler, so fixing one does not change how the others are spread.
/// </summary>
public sealed class SearchSpace
{
    /// <summary>A space of <paramref name="dimensions"/>, in the order trials list them.</summary>
    public SearchSpace(IEnumerable<SearchDimension> dimensions) => Dimensions = [.. dimensions];

    /// <summary>Every dimension, fixed or not.</summary>
    public IReadOnlyList<SearchDimension> Dimensions { get; }

    /// <summary>The dimensions that take a coordinate of the sampler.</summary>
    public IReadOnlyList<SearchDimension> Searched => [.. Dimensions.Where(d => !d.IsFixed)];

    /// <summary>The dimension named <paramref name="name"/>, or null.</summary>
    public SearchDimension? Find(string name) => Dimensions.FirstOrDefault(d => d.Name == name);

    /// <summary>Throws when a dimension is empty or contradictory, a name repeats, or nothing is searched.</summary>
    /// <exception cref="ArgumentException">The message names the dimension and the fix.</exception>
    public void Validate()
    {
        foreach (var dimension in Dimensions) dimension.Validate();
        if (Dimensions.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            throw new ArgumentException($"search space: {repeated.Key} appears {repeated.Count()} times; give each dimension once");
        if (Searched.Count == 0)
            throw new ArgumentException("search space: every dimension has a single value, so there is nothing to search; give a range (MIN:MAX) or choices (A,B) for at least one");
    }

    /// <summary>The trial's values at <paramref name="point"/>, one coordinate in [0, 1) per searched dimension, in order.</summary>
    public TrialParameters Decode(IReadOnlyList<double> point)
    {
        if (point.Count != Searched.Count) throw new ArgumentException($"the point has {point.Count} coordinates; the space searches {Searched.Count} dimensions", nameof(point));
        int next = 0;
        return new TrialParameters(Dimensions.Select(d => new KeyValuePair<string, object>(d.Name, d.ValueAt(d.IsFixed ? 0 : point[next++]))));
    }

    /// <summary>The space in words, one "name: description" per dimension.</summary>
    public string Describe() => string.Join("; ", Dimensions.Select(d => $"{d.Name}: {d.Describe()}"));
}
