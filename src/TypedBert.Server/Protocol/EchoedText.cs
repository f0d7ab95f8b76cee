namespace TypedBert.Server.Protocol;

/// <summary>Part of a request (a field name, a header) repeated in an error answer: short, and whole characters only.</summary>
internal static class EchoedText
{
    const int MaxLength = 64;

    public static string Shorten(string text)
    {
        if (text.Length <= MaxLength) return text;
        // Never between the two halves of a surrogate pair: the answer would carry half a character.
        int cut = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
        return text[..cut] + "…";
    }
}
