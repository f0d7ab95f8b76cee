using System.Globalization;
using System.Text.Json;

namespace TypedBert.Search;

/// <summary>A whole number from <paramref name="Min"/> to <paramref name="Max"/>, both included, each equally likely.</summary>
public sealed record IntDimension(string Name, int Min, int Max) : SearchDimension(Name)
{
    /// <inheritdoc/>
    public override bool IsFixed => Min == Max;

    /// <inheritdoc/>
    public override object ValueAt(double unit) => (int)Math.Min(Max, Min + Math.Floor(unit * ((long)Max - Min + 1)));

    /// <inheritdoc/>
    public override IReadOnlyList<object> Extremes => [Min, Max];

    /// <inheritdoc/>
    public override void Validate()
    {
        if (Min > Max) throw Invalid($"minimum {Min} is above its maximum {Max}; write MIN:MAX");
    }

    /// <inheritdoc/>
    public override string Describe() => IsFixed ? Min.ToString(CultureInfo.InvariantCulture) : $"integer [{Min}, {Max}]";

    /// <inheritdoc/>
    public override object Read(JsonElement value) => value.GetInt32();
}
