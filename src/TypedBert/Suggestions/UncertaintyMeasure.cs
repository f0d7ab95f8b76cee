using TypedBert.Classification;

namespace TypedBert.Suggestions;

/// <summary>How unsure a model is of one text, from its probabilities: higher is less sure.</summary>
internal static class UncertaintyMeasure
{
    /// <summary>
    /// The measure of <paramref name="strategy"/> (margin for random and diverse) on <paramref name="scores"/>: softmax probabilities for a
    /// single-label model; for a multi-label model, the mean over labels of the same measure on each label's yes/no pair.
    /// </summary>
    /// <exception cref="NotSupportedException">A regression model: its scores are values, not probabilities.</exception>
    public static double Of(SuggestionStrategy strategy, IReadOnlyList<float> scores, ProblemType problemType)
    {
        ArgumentNullException.ThrowIfNull(scores);
        return problemType switch
        {
            ProblemType.SingleLabel => OfDistribution(strategy, scores),
            ProblemType.MultiLabel => scores.Average(p => OfDistribution(strategy, [p, 1 - p])),
            _ => throw new NotSupportedException($"suggestions rank texts by how unsure a classifier is; a {problemType} model predicts values, not probabilities: use SuggestionStrategy.Random"),
        };
    }

    static double OfDistribution(SuggestionStrategy strategy, IReadOnlyList<float> p)
    {
        switch (strategy)
        {
            case SuggestionStrategy.LeastConfidence:
                return 1 - p.Max();
            case SuggestionStrategy.Entropy:
                double entropy = 0;
                foreach (float x in p)
                    if (x > 0) entropy -= x * Math.Log(x);
                return entropy;
            default: // margin: random and diverse report it too
                float first = float.NegativeInfinity, second = float.NegativeInfinity;
                foreach (float x in p)
                {
                    if (x > first) (first, second) = (x, first);
                    else if (x > second) second = x;
                }
                return 1 - (first - (p.Count > 1 ? second : 0));
        }
    }
}
