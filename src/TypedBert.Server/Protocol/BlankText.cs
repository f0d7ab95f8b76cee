using System.Globalization;
using System.Text;

namespace TypedBert.Server.Protocol;

/// <summary>
/// A text with nothing to classify: empty, or only whitespace and invisible control or format characters (Unicode
/// categories Cc and Cf, such as a zero-width space, which the WordPiece tokenizer drops). Such a text would still get a
/// label, from the special tokens alone, so it is refused. The playground's script applies the same rule,
/// <c>/^[\s\p{Cc}\p{Cf}]*$/u</c>, before it sends a text.
/// </summary>
internal static class BlankText
{
    public static bool Is(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune)) continue;
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format) continue;
            return false;
        }
        return true;
    }
}
