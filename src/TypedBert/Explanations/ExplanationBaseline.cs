namespace TypedBert.Explanations;

/// <summary>
/// What integrated gradients starts from: the "no information" input whose logit the attributions explain the text's logit
/// against. Both keep the special tokens ([CLS], [SEP], padding) of the text, so those get no attribution and the model
/// still sees a well-formed sequence.
/// </summary>
public enum ExplanationBaseline
{
    /// <summary>Every word piece replaced by the [PAD] token's embedding (captum's and transformers-interpret's usual choice).</summary>
    Padding,

    /// <summary>Every word piece's embedding set to zeros (Sundararajan et al.'s black image, for text).</summary>
    Zero,
}
