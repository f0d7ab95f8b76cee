using TypedBert.Tokenization;

namespace TypedBert.Classification.LongText;

/// <summary>
/// Turns one text into the model inputs its strategy reads: one truncated input, one head+tail input, or every window. Training,
/// evaluation and prediction all encode through this, so a model is read the way it was trained.
/// </summary>
public sealed class LongTextEncoder
{
    readonly ITextTokenizer tokenizer;

    /// <summary>An encoder for <paramref name="settings"/>.</summary>
    public LongTextEncoder(ITextTokenizer tokenizer, LongTextSettings settings)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(settings);
        this.tokenizer = tokenizer;
        Settings = settings;
    }

    /// <summary>The resolved settings.</summary>
    public LongTextSettings Settings { get; }

    /// <summary>The inputs of one text: at least one, also for an empty text.</summary>
    /// <exception cref="NotSupportedException">A text pair with head+tail or windows, which read single texts.</exception>
    public IReadOnlyList<EncodedText> Encode(string text, string? pair = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Settings.Strategy == LongTextStrategy.Truncate) return [tokenizer.Encode(text, pair, Settings.Window)];
        if (pair is not null)
            throw new NotSupportedException($"{LongTextNames.Name(Settings.Strategy)} reads single texts; for text pairs use the truncate strategy");
        var ids = tokenizer.Tokenize(text);
        return Settings.Strategy == LongTextStrategy.HeadTail ? [HeadTail(ids)] : Windows(ids);
    }

    EncodedText HeadTail(IReadOnlyList<int> ids)
    {
        int content = Settings.Content;
        if (ids.Count <= content) return Wrap(ids, 0, ids.Count, truncated: false);
        // The first Head tokens, then the last Tail tokens: the two ends are where openings and conclusions sit.
        var window = new int[Settings.Window];
        window[0] = tokenizer.ClsTokenId;
        for (int i = 0; i < Settings.Head; i++) window[1 + i] = ids[i];
        int tailStart = ids.Count - Settings.Tail;
        for (int i = 0; i < Settings.Tail; i++) window[1 + Settings.Head + i] = ids[tailStart + i];
        window[^1] = tokenizer.SepTokenId;
        return new EncodedText(window, new int[window.Length], Truncated: true);
    }

    List<EncodedText> Windows(IReadOnlyList<int> ids)
    {
        var result = new List<EncodedText>();
        for (int start = 0; ; start += Settings.Stride)
        {
            int length = Math.Min(Settings.Content, ids.Count - start);
            if (start > 0 && length < Settings.MinimumWindowTokens) break;
            result.Add(Wrap(ids, start, length, truncated: false));
            if (start + length >= ids.Count) break;
        }
        return result;
    }

    /// <summary>Counts the windows of <paramref name="text"/> without building them (the server's bound on one request's work).</summary>
    public int CountInputs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Settings.Strategy != LongTextStrategy.SlidingWindow) return 1;
        int tokens = tokenizer.Tokenize(text).Count;
        int count = 0;
        for (int start = 0; ; start += Settings.Stride) // the loop of Windows, counting instead of copying
        {
            int length = Math.Min(Settings.Content, tokens - start);
            if (start > 0 && length < Settings.MinimumWindowTokens) break;
            count++;
            if (start + length >= tokens) break;
        }
        return count;
    }

    EncodedText Wrap(IReadOnlyList<int> ids, int start, int length, bool truncated)
    {
        var window = new int[length + LongTextSettings.SpecialTokens];
        window[0] = tokenizer.ClsTokenId;
        for (int i = 0; i < length; i++) window[i + 1] = ids[start + i];
        window[^1] = tokenizer.SepTokenId;
        return new EncodedText(window, new int[window.Length], truncated);
    }
}
