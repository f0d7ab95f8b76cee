namespace TypedBert.Search;

/// <summary>A real number between <paramref name="Min"/> and <paramref name="Max"/> drawn uniformly in its logarithm (learning rates).</summary>
public sealed record LogUniformDimension(string Name, double Min, double Max) : SearchDimension(Name)
{
    /// <inheritdoc/>
    public override bool IsFixed => Min == Max;

    /// <inheritdoc/>
    public override object ValueAt(double unit) => IsFixed ? Min : Math.Exp(Math.Log(Min) + unit * (Math.Log(Max) - Math.Log(Min)));

    /// <inheritdoc/>
    public override IReadOnlyList<object> Extremes => [Min, Max];

    /// <inheritdoc/>
    public override void Validate()
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max)) throw Invalid($"bounds must be finite numbers, not {Number(Min)} and {Number(Max)}");
        if (Min <= 0) throw Invalid($"is searched on a log scale, so its minimum must be above 0, not {Number(Min)}; give a positive range such as 1e-5:1e-4");
        if (Min > Max) throw Invalid($"minimum {Number(Min)} is above its maximum {Number(Max)}; write MIN:MAX");
    }

    /// <inheritdoc/>
    public override string Describe() => IsFixed ? Number(Min) : $"log-uniform [{Number(Min)}, {Number(Max)}]";
}
