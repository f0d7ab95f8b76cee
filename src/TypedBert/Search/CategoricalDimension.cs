namespace TypedBert.Search;

/// <summary>One of a list of <paramref name="Choices"/>, each equally likely (pooling strategies, batch sizes).</summary>
public sealed record CategoricalDimension(string Name, IReadOnlyList<string> Choices) : SearchDimension(Name)
{
    /// <inheritdoc/>
    public override bool IsFixed => Choices.Count == 1;

    /// <inheritdoc/>
    public override object ValueAt(double unit) => Choices[Math.Min(Choices.Count - 1, (int)Math.Floor(unit * Choices.Count))];

    /// <inheritdoc/>
    public override IReadOnlyList<object> Extremes => [.. Choices];

    /// <inheritdoc/>
    public override void Validate()
    {
        if (Choices.Count == 0) throw Invalid("has no choices; list at least one, comma-separated (A,B)");
        if (Choices.Any(string.IsNullOrWhiteSpace)) throw Invalid("has an empty choice; list the choices without empty entries");
        if (Choices.Distinct(StringComparer.Ordinal).Count() != Choices.Count) throw Invalid($"lists a choice twice ({string.Join(",", Choices)}); each would be drawn twice as often");
    }

    /// <inheritdoc/>
    public override string Describe() => IsFixed ? Choices[0] : $"one of {{{string.Join(", ", Choices)}}}";

    // Records compare lists by reference; two spaces with the same choices are the same space.
    /// <inheritdoc/>
    public bool Equals(CategoricalDimension? other) => other is not null && Name == other.Name && Choices.SequenceEqual(other.Choices);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Choices.Count);
}
