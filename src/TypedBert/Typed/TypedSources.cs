using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert.Typed;

/// <summary>
/// Training and evaluation from the user's own objects (<c>IEnumerable&lt;T&gt;</c>, rows of an EF Core query, say) with a text and a
/// label selector, the label staying the enum: <c>classifier.Train(reviews, r =&gt; r.Body, r =&gt; r.Sentiment)</c>.
/// </summary>
public static class TypedSources
{
    /// <summary>Fine-tunes on <paramref name="examples"/> (see <see cref="TypedClassifier{TEnum}.Train"/>).</summary>
    /// <exception cref="ArgumentException">A selector gave a null text for an object; the message names its position.</exception>
    public static TrainingResult Train<TEnum, TItem>(this TypedClassifier<TEnum> classifier, IEnumerable<TItem> examples, Func<TItem, string> text,
        Func<TItem, TEnum> label, TrainingOptions? options = null, IEnumerable<TItem>? evaluation = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return classifier.Train(Pairs(examples, text, label, nameof(examples)), options,
            evaluation is null ? null : Pairs(evaluation, text, label, nameof(evaluation)), progress, cancellationToken);
    }

    /// <summary>Trains on a few objects per label the SetFit way (see <see cref="TypedClassifier{TEnum}.TrainFewShot"/>).</summary>
    /// <exception cref="ArgumentException">A selector gave a null text for an object; the message names its position.</exception>
    public static FewShotResult TrainFewShot<TEnum, TItem>(this TypedClassifier<TEnum> classifier, IEnumerable<TItem> examples, Func<TItem, string> text,
        Func<TItem, TEnum> label, FewShotOptions? options = null, IEnumerable<TItem>? evaluation = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return classifier.TrainFewShot(Pairs(examples, text, label, nameof(examples)), options,
            evaluation is null ? null : Pairs(evaluation, text, label, nameof(evaluation)), progress, cancellationToken);
    }

    /// <summary>Loss and metrics on <paramref name="examples"/> (see <see cref="TypedClassifier{TEnum}.Evaluate"/>).</summary>
    /// <exception cref="ArgumentException">A selector gave a null text for an object; the message names its position.</exception>
    public static EvaluationResult Evaluate<TEnum, TItem>(this TypedClassifier<TEnum> classifier, IEnumerable<TItem> examples, Func<TItem, string> text,
        Func<TItem, TEnum> label, int? maxLength = null)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(classifier);
        return classifier.Evaluate(Pairs(examples, text, label, nameof(examples)), maxLength);
    }

    /// <summary>The (text, label) pairs of <paramref name="items"/>, read once, in order.</summary>
    /// <exception cref="ArgumentException">The text selector gave null for an object.</exception>
    public static List<(string Text, TEnum Label)> Pairs<TEnum, TItem>(IEnumerable<TItem> items, Func<TItem, string> text, Func<TItem, TEnum> label, string? source = null)
        where TEnum : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(label);
        var pairs = new List<(string, TEnum)>();
        int position = 0;
        foreach (var item in items)
        {
            pairs.Add((text(item) ?? throw NullText(position, source), label(item)));
            position++;
        }
        return pairs;
    }

    /// <summary>The texts of <paramref name="items"/>, in order.</summary>
    internal static List<string> Texts<TItem>(IReadOnlyList<TItem> items, Func<TItem, string> text, string source)
    {
        var texts = new List<string>(items.Count);
        for (int i = 0; i < items.Count; i++) texts.Add(text(items[i]) ?? throw NullText(i, source));
        return texts;
    }

    static ArgumentException NullText(int position, string? source) =>
        new($"the text selector gave null for the object at position {position}{(source is null ? "" : $" of {source}")}; return a string (empty texts are skipped by suggestions, not by training)", source);
}
