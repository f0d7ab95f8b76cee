using System.Globalization;
using System.Text;

namespace TypedBert.Tokenization;

/// <summary>
/// Hugging Face's BERT "basic tokenizer": drops control characters, turns every kind of whitespace into a space,
/// isolates CJK ideographs, lowercases and strips accents (NFD, minus non-spacing marks) for uncased models,
/// and makes every punctuation character a word of its own, ASCII symbols such as <c>$ = ` ^</c> included.
/// </summary>
/// <remarks>
/// Microsoft.ML.Tokenizers' own basic tokenization drops ASCII symbols (<c>$</c>, <c>=</c>, <c>`</c>) and emoji, and glues words
/// across tabs; its word-piece step is exact, so TypedBert keeps that and does this part the Hugging Face way.
/// </remarks>
internal sealed class BasicTokenizer(bool lowerCase, bool stripAccents, bool isolateCjk)
{
    /// <summary>The words of <paramref name="text"/>, each of which is then split into word pieces.</summary>
    public List<string> Split(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            // An unpaired surrogate enumerates as U+FFFD, which Hugging Face drops as well.
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune)) continue;
            if (IsWhitespace(rune)) cleaned.Append(' ');
            else if (isolateCjk && IsCjkIdeograph(rune.Value)) cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            else cleaned.Append(rune.ToString());
        }

        var words = new List<string>();
        foreach (var token in cleaned.ToString().Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string normalized = lowerCase ? token.ToLowerInvariant() : token;
            if (stripAccents) normalized = StripAccents(normalized);
            SplitOnPunctuation(normalized, words);
        }
        return words;
    }

    static string StripAccents(string word)
    {
        string decomposed = word.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) kept.Append(rune.ToString());
        return kept.ToString();
    }

    static void SplitOnPunctuation(string word, List<string> into)
    {
        int start = 0, at = 0;
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                if (at > start) into.Add(word[start..at]);
                into.Add(rune.ToString());
                start = at + rune.Utf16SequenceLength;
            }
            at += rune.Utf16SequenceLength;
        }
        if (at > start) into.Add(word[start..at]);
    }

    static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r') return false;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
            or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>All non-alphanumeric ASCII counts, as in Hugging Face, plus every Unicode punctuation category.</summary>
    static bool IsPunctuation(Rune rune)
    {
        int cp = rune.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks that BERT's tokenizer isolates (not Hangul, Hiragana or Katakana).</summary>
    static bool IsCjkIdeograph(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F
            or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
