namespace TypedBert.Tokenization;

/// <summary>
/// Where special tokens go around one text or a pair, and how a pair is truncated to fit: BERT and ALBERT write
/// <c>[CLS] A [SEP] B [SEP]</c> with token type 1 for B; RoBERTa and Longformer write <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>
/// with token type 0 throughout (transformers' <c>build_inputs_with_special_tokens</c> and <c>create_token_type_ids_from_sequences</c>).
/// </summary>
/// <param name="ClsTokenId">The token before the first text.</param>
/// <param name="SepTokenId">The token after each text.</param>
/// <param name="DoubleSeparator">Whether a pair's texts are separated by two separators (RoBERTa).</param>
/// <param name="SecondTextTokenType">Token type of the second text and its separator.</param>
internal sealed record SpecialTokenLayout(int ClsTokenId, int SepTokenId, bool DoubleSeparator, int SecondTextTokenType)
{
    /// <summary>BERT's layout.</summary>
    public static SpecialTokenLayout Bert(int cls, int sep) => new(cls, sep, DoubleSeparator: false, SecondTextTokenType: 1);

    /// <summary>RoBERTa's layout.</summary>
    public static SpecialTokenLayout Roberta(int cls, int sep) => new(cls, sep, DoubleSeparator: true, SecondTextTokenType: 0);

    /// <summary>Special tokens added to one text, or to a pair.</summary>
    public int SpecialTokens(bool pair) => pair ? (DoubleSeparator ? 4 : 3) : 2;

    /// <summary>The ids of <paramref name="first"/> (and <paramref name="second"/>) with special tokens, truncated longest-first to <paramref name="limit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> leaves no room for the special tokens.</exception>
    public EncodedText Encode(IReadOnlyList<int> first, IReadOnlyList<int>? second, int limit)
    {
        int specials = SpecialTokens(second is not null);
        if (limit < specials) throw new ArgumentOutOfRangeException("maxLength", limit, $"must leave room for {specials} special tokens");
        second ??= [];
        var (keepFirst, keepSecond) = LongestFirst(first.Count, second.Count, limit - specials);
        int length = keepFirst + keepSecond + specials;
        var ids = new int[length];
        var types = new int[length];
        int at = 0;
        ids[at++] = ClsTokenId;
        for (int i = 0; i < keepFirst; i++) ids[at++] = first[i];
        ids[at++] = SepTokenId;
        if (specials > 2)
        {
            if (DoubleSeparator) ids[at++] = SepTokenId;
            int secondStart = at;
            for (int i = 0; i < keepSecond; i++) ids[at++] = second[i];
            ids[at++] = SepTokenId;
            Array.Fill(types, SecondTextTokenType, secondStart, at - secondStart);
        }
        return new EncodedText(ids, types, keepFirst < first.Count || keepSecond < second.Count);
    }

    /// <summary>Hugging Face's "longest_first": drop one token at a time from whichever text is longer.</summary>
    static (int First, int Second) LongestFirst(int first, int second, int budget)
    {
        int excess = first + second - budget;
        if (excess <= 0) return (first, second);
        // Trim the longer down to the shorter's length, then alternate (the longer side first on ties goes to the second text).
        int fromFirst = Math.Min(excess, Math.Max(0, first - second));
        int fromSecond = Math.Min(excess - fromFirst, Math.Max(0, second - first));
        int rest = excess - fromFirst - fromSecond;
        fromFirst += rest / 2;
        fromSecond += rest - rest / 2;
        return (first - fromFirst, second - fromSecond);
    }
}
