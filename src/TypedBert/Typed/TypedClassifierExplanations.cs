using TypedBert.Explanations;

namespace TypedBert.Typed;

/// <summary><c>classifier.Explain(text, Topic.Sports)</c>: integrated gradients (<see cref="TextClassifierExplanations"/>) typed by the enum.</summary>
public static class TypedClassifierExplanations
{
    /// <summary>
    /// Why <paramref name="classifier"/> gives <paramref name="label"/> its score for <paramref name="text"/>: the predicted label
    /// when null (for a <c>[Flags]</c> enum the highest-scoring one). A <c>[Flags]</c> label must be a single member.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="label"/> combines several flags or is not a member.</exception>
    public static TypedExplanation<TEnum> Explain<TEnum>(this TypedClassifier<TEnum> classifier, string text, TEnum? label = null, ExplanationOptions? options = null)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        var explanation = classifier.Inner.Explain(text, label is { } member ? classifier.Labels.Names[SingleId(classifier.Labels, member)] : null, options);
        return new(classifier.Labels.FromId(explanation.LabelId), explanation);
    }

    /// <summary>One explanation per member of the enum (per flag for a <c>[Flags]</c> enum), in label-id order.</summary>
    public static IReadOnlyList<TypedExplanation<TEnum>> ExplainEach<TEnum>(this TypedClassifier<TEnum> classifier, string text, ExplanationOptions? options = null)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return [.. classifier.Inner.ExplainEach(text, null, options).Select(e => new TypedExplanation<TEnum>(classifier.Labels.FromId(e.LabelId), e))];
    }

    static int SingleId<TEnum>(EnumLabels<TEnum> map, TEnum label) where TEnum : struct, Enum
    {
        if (!map.IsFlags) return map.ToId(label);
        int[] ids = map.ToIds(label);
        if (ids.Length != 1)
            throw new ArgumentException($"explain one label at a time: {label} is {(ids.Length == 0 ? "no label" : $"{ids.Length} labels")} of {typeof(TEnum).Name} ({string.Join(", ", map.Names)})", nameof(label));
        return ids[0];
    }
}
