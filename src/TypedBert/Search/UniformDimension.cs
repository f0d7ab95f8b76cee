namespace TypedBert.Search;

/// <summary>A real number drawn uniformly between <paramref name="Min"/> and <paramref name="Max"/>.</summary>
public sealed record UniformDimension(string Name, double Min, double Max) : SearchDimension(Name)
{
    /// <inheritdoc/>
    public override bool IsFixed => Min == Max;

    /// <inheritdoc/>
    public override object ValueAt(double unit) => IsFixed ? Min : Min + unit * (Max - Min);

    /// <inheritdoc/>
    public override IReadOnlyList<object> Extremes => [Min, Max];

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max)) throw Invalid($"bounds must be finite numbers, not {Number(Min)} and {Number(Max)}");
        if (Min > Max) throw Invalid($"minimum {Number(Min)} is above its maximum {Number(Max)}; write MIN:MAX");
    }

    /// <inheritdoc/>
    public override string Describe() => IsFixed ? Number(Min) : $"uniform [{Number(Min)}, {Number(Max)}]";
}
