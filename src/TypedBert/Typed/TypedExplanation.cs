using TypedBert.Explanations;

namespace TypedBert.Typed;

/// <summary>An <see cref="Explanations.Explanation"/> of one member of the <c>[BertLabels]</c> enum <typeparamref name="TEnum"/>.</summary>
/// <typeparam name="TEnum">The enum.</typeparam>
/// <param name="Label">The member explained.</param>
/// <param name="Details">The attributions, per word and per word piece.</param>
public sealed record TypedExplanation<TEnum>(TEnum Label, Explanation Details) where TEnum : struct, Enum
{
    /// <summary>Every word of the text with its character offsets and score (<see cref="Explanation.Words"/>).</summary>
    public IReadOnlyList<WordAttribution> Words => Details.Words;

    /// <inheritdoc />
    public override string ToString() => Details.ToString();
}
