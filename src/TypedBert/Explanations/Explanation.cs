namespace TypedBert.Explanations;

/// <summary>
/// Why the classifier gave one label its logit for one text: integrated gradients (Sundararajan et al. 2017) from a baseline
/// to the text's word embeddings, per word piece and per word. The attributions add up to the label's logit for the text
/// minus its logit for the baseline (completeness), up to the integration error <see cref="CompletenessError"/>.
/// </summary>
public sealed class Explanation
{
    internal Explanation(string text, string label, int labelId, IReadOnlyList<WordAttribution> words, IReadOnlyList<TokenAttribution> tokens,
        float logit, float baselineLogit, double completenessError, int windows, ExplanationOptions options)
    {
        Text = text;
        Label = label;
        LabelId = labelId;
        Words = words;
        Tokens = tokens;
        Logit = logit;
        BaselineLogit = baselineLogit;
        CompletenessError = completenessError;
        Windows = windows;
        Options = options;
    }

    /// <summary>The text explained.</summary>
    public string Text { get; }

    /// <summary>The label whose logit is explained.</summary>
    public string Label { get; }

    /// <summary>Its id.</summary>
    public int LabelId { get; }

    /// <summary>Every word of the text, in order, with its character offsets and score.</summary>
    public IReadOnlyList<WordAttribution> Words { get; }

    /// <summary>Every word piece of the text (special tokens left out: the baseline keeps them, so they score 0).</summary>
    public IReadOnlyList<TokenAttribution> Tokens { get; }

    /// <summary>The label's logit for the text (the mean over windows when the text took several).</summary>
    public float Logit { get; }

    /// <summary>The label's logit for the baseline (the mean over windows).</summary>
    public float BaselineLogit { get; }

    /// <summary>
    /// |sum of attributions − (logit − baseline logit)| / |logit − baseline logit| (the absolute difference when that is below 1e-6);
    /// with several windows the largest over them.
    /// </summary>
    public double CompletenessError { get; }

    /// <summary>How many windows the text took (1 unless it is longer than the model reads at once). Overlapping windows average a piece's scores.</summary>
    public int Windows { get; }

    /// <summary>The steps, baseline and rule used.</summary>
    public ExplanationOptions Options { get; }

    /// <summary>The words, highest score first.</summary>
    public IReadOnlyList<WordAttribution> Ranked => [.. Words.OrderByDescending(w => w.Score)];

    /// <inheritdoc />
    public override string ToString() => $"{Label}: " + string.Join(" ", Words.Select(w => $"{w.Word}({w.Score:+0.00;-0.00;0})"));
}
