namespace TypedBert.Suggestions;

/// <summary>How texts are suggested for labelling; the defaults suit a first round from a zero-shot model.</summary>
public sealed record SuggestionOptions
{
    /// <summary>How the texts are chosen.</summary>
    public SuggestionStrategy Strategy { get; init; } = SuggestionStrategy.Diverse;

    /// <summary>Seed of <see cref="SuggestionStrategy.Random"/> and of the clustering of <see cref="SuggestionStrategy.Diverse"/>: the same seed, pool and model give the same suggestions.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Texts that are labelled already: pool texts equal to one of them (after trimming surrounding white space, as the data files'
    /// pool checks compare texts) are never suggested. Null: none.
    /// </summary>
    public IEnumerable<string>? Labelled { get; init; }

    /// <summary><see cref="SuggestionStrategy.Diverse"/>: how many of the most uncertain texts per suggestion are clustered (10: 500 candidates for 50 suggestions).</summary>
    public int CandidatesPerSuggestion { get; init; } = 10;

    /// <summary>Longest input in tokens when <see cref="SuggestionStrategy.Diverse"/> embeds its candidates.</summary>
    public int EmbeddingMaxLength { get; init; } = 128;

    /// <summary>Checks every value; the message names the property and the allowed range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Strategy)) throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, "SuggestionOptions.Strategy is not a SuggestionStrategy");
        if (CandidatesPerSuggestion is < 1 or > 1000)
            throw new ArgumentOutOfRangeException(nameof(CandidatesPerSuggestion), CandidatesPerSuggestion, "SuggestionOptions.CandidatesPerSuggestion must be in 1..1000 (10 is typical)");
        if (EmbeddingMaxLength is < 8 or > 8192)
            throw new ArgumentOutOfRangeException(nameof(EmbeddingMaxLength), EmbeddingMaxLength, "SuggestionOptions.EmbeddingMaxLength must be in 8..8192");
    }
}
