using System.Globalization;

namespace TypedBert.Classification.LongText;

/// <summary>
/// <see cref="LongTextOptions"/> with every default worked out for one model and checked against it: the numbers that encoding,
/// the saved <c>config.json</c>, the server's <c>/model</c> and the checkpoint fingerprint all use.
/// </summary>
/// <param name="Strategy">Truncate, head+tail or sliding window.</param>
/// <param name="Window">Tokens read at once, special tokens included.</param>
/// <param name="Stride">Tokens between window starts (sliding window).</param>
/// <param name="Head">Tokens kept from the start (head+tail); the tail fills the rest of the window's content.</param>
/// <param name="Aggregation">How window logits become one row.</param>
/// <param name="MinimumWindowTokens">A trailing window with fewer content tokens is skipped.</param>
/// <param name="MaxWindowsPerDocument">Training cap on windows per document per epoch; null: all.</param>
public sealed record LongTextSettings(LongTextStrategy Strategy, int Window, int Stride, int Head, WindowAggregation Aggregation,
    int MinimumWindowTokens, int? MaxWindowsPerDocument)
{
    /// <summary>[CLS] and [SEP] (RoBERTa: &lt;s&gt; and &lt;/s&gt;) around each window's content.</summary>
    public const int SpecialTokens = LongTextLimits.SpecialTokens;

    /// <summary>Content tokens per window.</summary>
    public int Content => LongTextLimits.Content(Window);

    /// <summary>Head+tail: tokens taken from the end.</summary>
    public int Tail => Content - Head;

    /// <summary>
    /// Works out the defaults of <paramref name="options"/> (window: <paramref name="maxLength"/>; stride: half the content; head: a
    /// quarter of it) and checks them.
    /// </summary>
    /// <param name="options">What the caller asked for.</param>
    /// <param name="maxLength">The length used when no window is given.</param>
    /// <param name="positions">The most tokens the model can read (its tokenizer's <c>model_max_length</c>).</param>
    /// <exception cref="ArgumentException">A value is outside its range; the message names the option and the allowed range.</exception>
    public static LongTextSettings Resolve(LongTextOptions options, int maxLength, int positions)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Enum.IsDefined(options.Strategy)) throw new ArgumentException($"long-text strategy {options.Strategy} is not one of truncate, head-tail, window");
        if (!Enum.IsDefined(options.Aggregation)) throw new ArgumentException($"aggregation {options.Aggregation} is not one of mean, max, mean-prob");
        // The ranges and defaults are LongTextLimits', which the source generator checks [BertTrainingConfig] with too.
        int window = options.WindowTokens ?? LongTextLimits.DefaultWindow(maxLength, positions);
        if (!LongTextLimits.WindowFits(window, positions))
            throw new ArgumentException($"window {window} is out of range: it must be between {LongTextLimits.MinimumWindow} and the model's {positions} positions (special tokens included)");
        int content = LongTextLimits.Content(window);
        int stride = options.Stride ?? LongTextLimits.DefaultStride(window);
        if (!LongTextLimits.StrideFits(stride, window))
            throw new ArgumentException($"stride {stride} is out of range: it must be between {LongTextLimits.MinimumStride} and the window's {content} content tokens (window {window} minus [CLS] and [SEP])");
        int head = options.HeadTokens ?? LongTextLimits.DefaultHead(window);
        if (!LongTextLimits.HeadFits(head, window))
            throw new ArgumentException($"head tokens {head} is out of range: head + tail must fit the window's {content} content tokens, so the head must be between {LongTextLimits.MinimumHead} and {content}");
        // The default minimum (16) can exceed a short window's content (say MaxLength 16 under truncation, where it does not
        // matter at all); a trailing window can hold at most the content, so the minimum is capped there rather than refused.
        int minimum = Math.Min(options.MinimumWindowTokens, content);
        if (minimum < 1)
            throw new ArgumentException($"minimum window tokens {options.MinimumWindowTokens} is out of range: it must be at least 1");
        if (options.MaxWindowsPerDocument is int cap && !LongTextLimits.WindowsPerDocumentFits(cap))
            throw new ArgumentException($"max windows per document {cap} is out of range: it must be at least {LongTextLimits.MinimumWindowsPerDocument} (or unset for all windows)");
        return new LongTextSettings(options.Strategy, window, stride, head, options.Aggregation, minimum, options.MaxWindowsPerDocument);
    }

    /// <summary>The options that resolve to these settings with nothing left to default.</summary>
    public LongTextOptions ToOptions() => new()
    {
        Strategy = Strategy, WindowTokens = Window, Stride = Stride, HeadTokens = Head, Aggregation = Aggregation,
        MinimumWindowTokens = MinimumWindowTokens, MaxWindowsPerDocument = MaxWindowsPerDocument,
    };

    /// <summary>One line for fingerprints and logs; every field that changes what the model is trained on or read with.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{LongTextNames.Name(Strategy)} window {Window} stride {Stride} head {Head} aggregation {LongTextNames.Name(Aggregation)} min {MinimumWindowTokens} cap {MaxWindowsPerDocument?.ToString(CultureInfo.InvariantCulture) ?? "all"}");
}
