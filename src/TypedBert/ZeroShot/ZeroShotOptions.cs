namespace TypedBert.ZeroShot;

/// <summary>How <see cref="ZeroShotClassifier"/> turns label descriptions into a classifier.</summary>
public sealed record ZeroShotOptions
{
    /// <summary>The placeholder of <see cref="Template"/> that a description replaces.</summary>
    public const string Placeholder = "{description}";

    /// <summary>
    /// The sentence each description is put into before it is embedded, such as <c>"This is a news article about {description}."</c>
    /// (SetFit's templated zero-shot); the description as it is by default.
    /// </summary>
    public string Template { get; init; } = Placeholder;

    /// <summary>
    /// Logits per unit of cosine similarity, the inverse softmax temperature: the head's rows are the unit label vectors times this over the
    /// typical length of a text vector, so that a text's logits are about <c>Scale</c> times its cosine with each label.
    /// </summary>
    public double Scale { get; init; } = 20;

    /// <summary>How token vectors become one text vector; the embedded encoders were trained as sentence embedders with mean pooling.</summary>
    public Classification.PoolingStrategy Pooling { get; init; } = Classification.PoolingStrategy.Mean;

    /// <summary>Longest description in tokens when it is embedded.</summary>
    public int MaxLength { get; init; } = 128;

    /// <summary>Checks every value; the message names the property and the fix.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Template) || !Template.Contains(Placeholder, StringComparison.Ordinal))
            throw new ArgumentException($"Template \"{Template}\" has no {Placeholder}; write where the description goes, such as \"This is about {Placeholder}.\"");
        if (!(Scale > 0 && Scale <= 1000)) throw new ArgumentException($"Scale {Scale} must be in (0, 1000]; 20 gives sensible probabilities");
        if (MaxLength is < 8 or > 8192) throw new ArgumentException($"MaxLength {MaxLength} must be in 8..8192");
    }

    /// <summary>The sentence that is embedded for <paramref name="description"/>.</summary>
    public string Apply(string description) => Template.Replace(Placeholder, description, StringComparison.Ordinal);
}
