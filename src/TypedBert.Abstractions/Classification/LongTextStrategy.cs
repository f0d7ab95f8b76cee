namespace TypedBert.Classification;

/// <summary>What happens to a text longer than the model's window.</summary>
/// <remarks>The source generator compiles this file too (internal there): <c>[BertTrainingConfig]</c> is checked and emitted with these members.</remarks>
public enum LongTextStrategy
{
    /// <summary>Keep the first tokens that fit (Hugging Face's pipeline default).</summary>
    Truncate,

    /// <summary>Read the whole text in overlapping windows and aggregate their logits; training sees each window as an example.</summary>
    SlidingWindow,

    /// <summary>Keep the first <c>LongTextOptions.HeadTokens</c> tokens and the last ones that fill the window (Sun et al. 2019).</summary>
    HeadTail,
}
