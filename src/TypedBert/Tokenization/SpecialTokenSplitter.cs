namespace TypedBert.Tokenization;

/// <summary>
/// Finds special tokens written in a text (<c>[SEP]</c>, <c>&lt;/s&gt;</c>) so that they become their ids, as Hugging Face does
/// with its default <c>split_special_tokens=False</c>; the text between them is tokenized normally.
/// </summary>
internal sealed class SpecialTokenSplitter((string Text, int Id)[] specialTokens)
{
    /// <summary>Ids of <paramref name="text"/>: <paramref name="tokenizePlain"/> for the stretches between special tokens.</summary>
    public List<int> Tokenize(string text, Action<string, List<int>> tokenizePlain)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        int start = 0;
        while (start <= text.Length)
        {
            var (at, token) = NextSpecialToken(text, start);
            if (at > start || token.Text is null) tokenizePlain(text[start..at], ids);
            if (token.Text is null) break;
            ids.Add(token.Id);
            start = at + token.Text.Length;
        }
        return ids;
    }

    (int At, (string? Text, int Id) Token) NextSpecialToken(string text, int from)
    {
        int best = text.Length;
        (string? Text, int Id) found = (null, 0);
        foreach (var special in specialTokens)
        {
            int at = text.IndexOf(special.Text, from, StringComparison.Ordinal);
            if (at >= 0 && (at < best || at == best && found.Text is not null && special.Text.Length > found.Text.Length)) (best, found) = (at, special);
        }
        return (best, found);
    }
}
