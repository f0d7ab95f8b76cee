using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace TypedBert.Server.Protocol;

/// <summary>
/// Reads JSON strings that may be malformed: a lone UTF-16 surrogate escape (<c>"\ud83d"</c>, what a JavaScript client sends
/// when it cuts a text inside an emoji) or bytes that are not UTF-8. System.Text.Json parses both and throws only when the
/// string is read; this turns that into a sentence that says what is wrong and where.
/// </summary>
/// <remarks>
/// Both are refused, not replaced with U+FFFD: a replaced text is not the text the client sent, and its prediction would
/// silently answer for another one.
/// </remarks>
internal static class JsonStringEncoding
{
    /// <summary>The string's value, or null with <paramref name="problem"/> saying what makes it unreadable.</summary>
    public static string? TryRead(JsonElement value, out string? problem)
    {
        try
        {
            problem = null;
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            problem = FindProblem(JsonMarshal.GetRawUtf8Value(value)) ?? "is not well-formed text";
            return null;
        }
    }

    /// <summary>The property's name, or null with <paramref name="problem"/> saying what makes it unreadable.</summary>
    public static string? TryReadName(JsonProperty property, out string? problem)
    {
        try
        {
            problem = null;
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            problem = FindProblem(JsonMarshal.GetRawUtf8PropertyName(property)) ?? "is not well-formed text";
            return null;
        }
    }

    /// <summary>
    /// The first encoding error in a raw JSON string token (with or without its quotes), or null when there is none.
    /// Positions are in UTF-16 code units of the decoded text, which is what a JavaScript string's index counts.
    /// </summary>
    public static string? FindProblem(ReadOnlySpan<byte> raw)
    {
        if (raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"') raw = raw[1..^1];
        int position = 0;
        int i = 0;
        while (i < raw.Length)
        {
            if (raw[i] == '\\')
            {
                // The parser has already checked the escapes' syntax: a backslash is followed by one character, or by u and 4 hex digits.
                if (raw[i + 1] != 'u')
                {
                    i += 2;
                    position++;
                    continue;
                }
                int unit = Hex(raw.Slice(i + 2, 4));
                i += 6;
                if (char.IsHighSurrogate((char)unit))
                {
                    if (i + 6 <= raw.Length && raw[i] == '\\' && raw[i + 1] == 'u' && char.IsLowSurrogate((char)Hex(raw.Slice(i + 2, 4))))
                    {
                        i += 6;
                        position += 2;
                        continue;
                    }
                    return $"has a lone surrogate \\u{unit:x4} at character {position}: the first half of a character such as an emoji without its second half (a text cut inside the character); send whole characters";
                }
                if (char.IsLowSurrogate((char)unit))
                    return $"has a lone surrogate \\u{unit:x4} at character {position}: the second half of a character such as an emoji without its first half (a text cut inside the character); send whole characters";
                position++;
                continue;
            }
            if (Rune.DecodeFromUtf8(raw[i..], out var rune, out int consumed) != OperationStatus.Done)
            {
                string bytes = string.Join(" ", raw.Slice(i, Math.Max(consumed, 1)).ToArray().Select(b => $"0x{b:X2}"));
                return $"is not valid UTF-8: {bytes} at character {position} is not a UTF-8 character; send the body encoded as UTF-8";
            }
            i += consumed;
            position += rune.Utf16SequenceLength;
        }
        return null;
    }

    static int Hex(ReadOnlySpan<byte> digits) => int.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
