using TypedBert.Suggestions;

namespace TypedBert.Typed;

/// <summary>
/// <c>classifier.Suggest(pool, 50)</c> on a typed classifier (a generated <c>TopicClassifier</c> included): the texts or objects to
/// label next (<see cref="TextClassifierSuggestions"/>), with the model's guess as a member of the enum.
/// </summary>
public static class TypedClassifierSuggestions
{
    /// <summary>Up to <paramref name="count"/> texts of <paramref name="pool"/> to label next, most useful first (see <see cref="TextClassifierSuggestions.Suggest"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The pool holds no text.</exception>
    public static IReadOnlyList<TypedSuggestion<TEnum>> Suggest<TEnum>(this TypedClassifier<TEnum> classifier, IEnumerable<string> pool, int count,
        SuggestionOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(pool);
        var texts = pool as IReadOnlyList<string> ?? [.. pool];
        return [.. classifier.Inner.Suggest(texts, count, options, progress, cancellationToken)
            .Select(s => new TypedSuggestion<TEnum>(s.Index, s.Text, s.Uncertainty, classifier.FromPrediction(s.Prediction), s.Prediction))];
    }

    /// <summary>
    /// Up to <paramref name="count"/> of the user's objects to label next, most useful first: <paramref name="text"/> reads each one's
    /// text (rows of a database query, say); objects whose text is labelled already (<see cref="SuggestionOptions.Labelled"/>) are left out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The pool holds no text, or the selector gave null for an object (its position is named).</exception>
    public static IReadOnlyList<TypedSuggestion<TEnum, TItem>> Suggest<TEnum, TItem>(this TypedClassifier<TEnum> classifier, IEnumerable<TItem> pool,
        Func<TItem, string> text, int count, SuggestionOptions? options = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(text);
        var items = pool as IReadOnlyList<TItem> ?? [.. pool];
        var texts = TypedSources.Texts(items, text, nameof(pool));
        return [.. classifier.Inner.Suggest(texts, count, options, progress, cancellationToken)
            .Select(s => new TypedSuggestion<TEnum, TItem>(items[s.Index], s.Index, s.Text, s.Uncertainty, classifier.FromPrediction(s.Prediction), s.Prediction))];
    }
}
