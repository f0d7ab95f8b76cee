using System;

namespace TypedBert.Classification.LongText;

/// <summary>
/// The allowed range and the default of each long-text setting, and the shortest maximum length, as plain arithmetic on token
/// counts: <c>LongTextSettings.Resolve</c> and the options' validation check with these at run time, and the source generator
/// checks <c>[BertTrainingConfig]</c> with them at compile time (through TypedBert.Abstractions), so that a configuration that builds is
/// one the trainer accepts.
/// </summary>
internal static class LongTextLimits
{
    /// <summary>[CLS] and [SEP] (RoBERTa: &lt;s&gt; and &lt;/s&gt;) around each window's content.</summary>
    public const int SpecialTokens = 2;

    /// <summary>
    /// The shortest sequence the encoder reads: the two special tokens and one content token between them. A maximum length
    /// (<c>TrainingOptions.MaxLength</c>, <c>FewShotOptions.MaxLength</c>, <c>[BertTrainingConfig(MaxLength = ...)]</c>) is at least this.
    /// </summary>
    public const int MinimumSequence = SpecialTokens + 1;

    /// <summary>The smallest window: a window is a sequence, so it too holds the two special tokens and one content token.</summary>
    public const int MinimumWindow = MinimumSequence;

    /// <summary>The smallest stride: consecutive windows start at least one token apart.</summary>
    public const int MinimumStride = 1;

    /// <summary>The smallest head of head+tail: none, the tail fills the window.</summary>
    public const int MinimumHead = 0;

    /// <summary>The smallest cap on training windows per document.</summary>
    public const int MinimumWindowsPerDocument = 1;

    /// <summary>Content tokens of a <paramref name="window"/>: the window minus the special tokens.</summary>
    public static int Content(int window) => window - SpecialTokens;

    /// <summary>The window when none is given: the maximum length, but never more than the model's positions.</summary>
    public static int DefaultWindow(int maxLength, int positions) => Math.Min(maxLength, positions);

    /// <summary>The stride when none is given: half the window's content, so that every token is read twice.</summary>
    public static int DefaultStride(int window) => Math.Max(MinimumStride, Content(window) / 2);

    /// <summary>The head when none is given: a quarter of the window's content (Sun et al. 2019 keep 128 of 510 tokens).</summary>
    public static int DefaultHead(int window) => Content(window) / 4;

    /// <summary>A window holds one content token at least and fits the model's <paramref name="positions"/>.</summary>
    public static bool WindowFits(int window, int positions) => window >= MinimumWindow && window <= positions;

    /// <summary>Windows start at least a token and at most a window's content apart, so that no token is skipped.</summary>
    public static bool StrideFits(int stride, int window) => stride >= MinimumStride && stride <= Content(window);

    /// <summary>The head and the tail together fill the window's content, so the head takes none of it to all of it.</summary>
    public static bool HeadFits(int head, int window) => head >= MinimumHead && head <= Content(window);

    /// <summary>A cap on training windows per document keeps one window at least.</summary>
    public static bool WindowsPerDocumentFits(int cap) => cap >= MinimumWindowsPerDocument;
}
