using TypedBert.Classification;

namespace TypedBert.Server.Labelling;

/// <summary>
/// Which pool texts the page offers next: the one seam between the page and the way texts are chosen (<see cref="SuggestedNextTexts"/>
/// asks the classifier which it is least sure of; <see cref="PoolOrderNextTexts"/> takes them in file order).
/// </summary>
internal interface INextTexts
{
    /// <summary>Up to <paramref name="count"/> texts of <paramref name="pool"/>, most worth labelling first, none of <paramref name="labelled"/>.</summary>
    IReadOnlyList<NextText> Next(TextClassifier classifier, IReadOnlyList<string> pool, IReadOnlySet<string> labelled, int count, CancellationToken cancellationToken);
}

/// <summary>A text to label and, when the chooser computed it, the served model's prediction for it.</summary>
internal sealed record NextText(string Text, Prediction? Prediction);

/// <summary>The pool's texts in file order, skipping the labelled ones: no model needed.</summary>
internal sealed class PoolOrderNextTexts : INextTexts
{
    public IReadOnlyList<NextText> Next(TextClassifier classifier, IReadOnlyList<string> pool, IReadOnlySet<string> labelled, int count, CancellationToken cancellationToken) =>
        [.. pool.Where(t => !labelled.Contains(t)).Take(count).Select(t => new NextText(t, null))];
}
