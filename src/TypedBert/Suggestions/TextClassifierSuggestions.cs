using TypedBert.Classification;

namespace TypedBert.Suggestions;

/// <summary>
/// <c>classifier.Suggest(pool, 50)</c>: which unlabelled texts to label next, chosen by how unsure the classifier is of them (and, for
/// <see cref="SuggestionStrategy.Diverse"/>, how far apart they lie), starting from a zero-shot classifier when nothing is labelled yet.
/// The pool's predictions and embeddings are cached with the weights, so the next round over the same pool with the same model is fast.
/// </summary>
public static class TextClassifierSuggestions
{
    /// <summary>
    /// Up to <paramref name="count"/> texts of <paramref name="pool"/> to label next, most useful first; fewer when the pool holds fewer
    /// texts that may be suggested (each distinct text once, no blank text, none of <see cref="SuggestionOptions.Labelled"/>).
    /// The same pool, model, options and seed give the same suggestions.
    /// </summary>
    /// <param name="classifier">A single-label or multi-label classifier (a zero-shot one when nothing is labelled).</param>
    /// <param name="pool">Unlabelled texts.</param>
    /// <param name="count">How many to suggest (at least 1).</param>
    /// <param name="options">Strategy, seed and the texts already labelled; the defaults when null.</param>
    /// <param name="progress">Told how many pool texts are scored so far (a first round over a large pool takes a while).</param>
    /// <param name="cancellationToken">Stops between batches of the pool.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or an option is out of range.</exception>
    /// <exception cref="ArgumentException">The pool holds no text.</exception>
    /// <exception cref="NotSupportedException">A regression model with a strategy other than random, or diverse on an exported folder.</exception>
    public static IReadOnlyList<Suggestion> Suggest(this TextClassifier classifier, IReadOnlyList<string> pool, int count, SuggestionOptions? options = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(pool);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "suggest at least one text: give a count of 1 or more");
        options ??= new SuggestionOptions();
        options.Validate();
        if (pool.Count == 0 || pool.All(string.IsNullOrWhiteSpace)) throw new ArgumentException("the pool holds no text: give the unlabelled texts to choose from", nameof(pool));
        if (classifier.ProblemType == ProblemType.Regression && options.Strategy != SuggestionStrategy.Random)
            throw new NotSupportedException($"a regression model predicts values, not probabilities, so {options.Strategy} cannot rank its texts; use SuggestionStrategy.Random");

        var eligible = PoolText.Eligible(pool, options.Labelled);
        var picked = SuggestionSelector.Select(options, classifier.ProblemType, eligible, count,
            indexes => [.. PoolScoreCache.Predict(classifier, [.. indexes.Select(i => pool[i])], progress, cancellationToken).Select(p => p.Scores)],
            indexes => PoolScoreCache.Embed(classifier, [.. indexes.Select(i => pool[i])], options.EmbeddingMaxLength, cancellationToken));
        var predictions = PoolScoreCache.Predict(classifier, [.. picked.Select(i => pool[i])], null, cancellationToken); // cached unless random
        var measure = options.Strategy is SuggestionStrategy.Random or SuggestionStrategy.Diverse ? SuggestionStrategy.Margin : options.Strategy;
        return [.. picked.Select((index, k) => new Suggestion(index, pool[index], classifier.ProblemType == ProblemType.Regression ? 0
            : UncertaintyMeasure.Of(measure, predictions[k].Scores, classifier.ProblemType), predictions[k]))];
    }
}
