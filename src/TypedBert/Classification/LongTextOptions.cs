namespace TypedBert.Classification;

/// <summary>What happens to a text longer than the model's window.</summary>
public enum LongTextStrategy
{
    /// <summary>Keep the first tokens that fit (Hugging Face's pipeline default).</summary>
    Truncate,

    /// <summary>Read the whole text in overlapping windows and aggregate their logits.</summary>
    SlidingWindow,
}

/// <summary>How the logits of several windows become one.</summary>
public enum WindowAggregation
{
    /// <summary>Average of the windows' logits.</summary>
    Mean,

    /// <summary>Element-wise maximum of the windows' logits (a label wins if any window shows it strongly).</summary>
    Max,
}

/// <summary>Settings for texts longer than the model reads at once.</summary>
public sealed record LongTextOptions
{
    /// <summary>Truncate (default) or slide a window.</summary>
    public LongTextStrategy Strategy { get; init; } = LongTextStrategy.Truncate;

    /// <summary>Tokens per window, [CLS] and [SEP] included; the classifier's maximum length when null.</summary>
    public int? WindowTokens { get; init; }

    /// <summary>Tokens between the starts of consecutive windows; half a window when null.</summary>
    public int? Stride { get; init; }

    /// <summary>How window logits are combined.</summary>
    public WindowAggregation Aggregation { get; init; } = WindowAggregation.Mean;

    /// <summary>A trailing window with fewer content tokens than this is skipped (the first window never is).</summary>
    public int MinimumWindowTokens { get; init; } = 16;
}
