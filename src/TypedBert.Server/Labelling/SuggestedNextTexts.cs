using TypedBert.Classification;
using TypedBert.Suggestions;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The texts the served model is least sure of, spread over its embedding space (<see cref="SuggestionStrategy.Diverse"/>; margin for an
/// exported folder, which has no body to embed with), through <see cref="TextClassifierSuggestions.Suggest"/>: the pool's scores are
/// cached with the model's weights, so a second round with the same model scores nothing again.
/// </summary>
internal sealed class SuggestedNextTexts : INextTexts
{
    public IReadOnlyList<NextText> Next(TextClassifier classifier, IReadOnlyList<string> pool, IReadOnlySet<string> labelled, int count, CancellationToken cancellationToken)
    {
        var options = new SuggestionOptions
        {
            Strategy = classifier.IsExported ? SuggestionStrategy.Margin : SuggestionStrategy.Diverse,
            Labelled = labelled,
        };
        // Suggest compares texts trimmed; the data file holds them as the pool gave them, so the exact check stays here too.
        return [.. classifier.Suggest(pool, count, options, null, cancellationToken).Where(s => !labelled.Contains(s.Text)).Select(s => new NextText(s.Text, s.Prediction))];
    }
}
