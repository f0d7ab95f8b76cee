namespace TypedBert.Classification;

/// <summary>Settings for texts longer than the model reads at once.</summary>
/// <remarks>
/// In TypedBert.Abstractions beside <see cref="LongTextStrategy"/> and <see cref="WindowAggregation"/>, at the bottom of the layers, so
/// that the classifier's configuration (which records them in <c>config.json</c>), prediction and training all reach down to them.
/// </remarks>
public sealed record LongTextOptions
{
    /// <summary>Truncate (default), head+tail, or slide a window.</summary>
    public LongTextStrategy Strategy { get; init; } = LongTextStrategy.Truncate;

    /// <summary>Tokens the model reads at once ([CLS] and [SEP] included): a window, or the head+tail input; the maximum length when null.</summary>
    public int? WindowTokens { get; init; }

    /// <summary>Tokens between the starts of consecutive windows; half a window's content when null.</summary>
    public int? Stride { get; init; }

    /// <summary>Head+tail: tokens taken from the start; the rest of the window comes from the end. A quarter of the window's content when null.</summary>
    public int? HeadTokens { get; init; }

    /// <summary>How window logits are combined.</summary>
    public WindowAggregation Aggregation { get; init; } = WindowAggregation.Mean;

    /// <summary>A trailing window with fewer content tokens than this is skipped (the first window never is).</summary>
    public int MinimumWindowTokens { get; init; } = 16;

    /// <summary>
    /// Sliding-window training: at most this many windows of one document per epoch, drawn afresh each epoch, so that the longest
    /// documents do not dominate the loss; all windows when null. Prediction and evaluation always read every window.
    /// </summary>
    public int? MaxWindowsPerDocument { get; init; }
}
