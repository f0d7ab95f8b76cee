namespace TypedBert.Suggestions;

/// <summary>How <see cref="TextClassifierSuggestions.Suggest"/> chooses the texts to label next.</summary>
public enum SuggestionStrategy
{
    /// <summary>A uniform random sample of the pool, the same for the same seed: the baseline every other strategy must beat.</summary>
    Random,

    /// <summary>The texts whose best label is least probable (1 - max p).</summary>
    LeastConfidence,

    /// <summary>The texts with the smallest gap between the two most probable labels (1 - (p1 - p2)): closest to a decision boundary.</summary>
    Margin,

    /// <summary>The texts whose label distribution has the highest entropy (-Σ p ln p).</summary>
    Entropy,

    /// <summary>
    /// Uncertain and spread out: the most uncertain texts by margin (<see cref="SuggestionOptions.CandidatesPerSuggestion"/> per suggestion)
    /// are clustered by the body's embeddings (k-means, one cluster per suggestion) and the most uncertain text of each cluster is taken,
    /// so that one batch does not spend its labels on near-duplicates of one confusing text.
    /// </summary>
    Diverse,
}
