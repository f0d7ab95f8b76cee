using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// Just enough JSON for the generator: one JSON Lines record, a model's config.json or a search's best.json. An analyzer cannot carry
/// System.Text.Json on every host (netstandard2.0, loaded into the compiler), so values come back as plain objects:
/// <see cref="Dictionary{TKey, TValue}"/> (string keys, last one wins), <see cref="List{T}"/>, string, <see cref="JsonNumber"/>,
/// bool or null.
/// </summary>
internal static class MiniJson
{
    /// <summary>A number as written (a label may be an id such as <c>1</c>, kept as text as DataFile keeps it).</summary>
    public sealed record JsonNumber(string Raw);

    /// <summary>Parses one JSON value that fills <paramref name="text"/> (white space aside).</summary>
    /// <exception cref="FormatException">Not valid JSON; the message gives the character position.</exception>
    public static object? Parse(string text)
    {
        int i = 0;
        var value = Value(text, ref i);
        SkipSpace(text, ref i);
        if (i < text.Length) throw Error(i, "unexpected text after the value");
        return value;
    }

    /// <summary>Not valid JSON: the message gives the character position, and <see cref="Position"/> the 0-based index, so that a caller can name the line.</summary>
    public sealed class SyntaxError(int position, string message) : FormatException(message)
    {
        public int Position { get; } = position;
    }

    static SyntaxError Error(int at, string what) => new(at, $"{what} at character {at + 1}");

    static void SkipSpace(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\n') i++;
    }

    static object? Value(string s, ref int i)
    {
        SkipSpace(s, ref i);
        if (i >= s.Length) throw Error(i, "a value is missing");
        switch (s[i])
        {
            case '{':
            {
                var result = new Dictionary<string, object?>(StringComparer.Ordinal);
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return result; }
                while (true)
                {
                    SkipSpace(s, ref i);
                    if (i >= s.Length || s[i] != '"') throw Error(i, "a property name (in double quotes) is expected");
                    string key = String(s, ref i);
                    SkipSpace(s, ref i);
                    if (i >= s.Length || s[i] != ':') throw Error(i, "':' is expected");
                    i++;
                    result[key] = Value(s, ref i);
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    if (i < s.Length && s[i] == '}') { i++; return result; }
                    throw Error(i, "',' or '}' is expected");
                }
            }
            case '[':
            {
                var result = new List<object?>();
                i++;
                SkipSpace(s, ref i);
                if (i < s.Length && s[i] == ']') { i++; return result; }
                while (true)
                {
                    result.Add(Value(s, ref i));
                    SkipSpace(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    if (i < s.Length && s[i] == ']') { i++; return result; }
                    throw Error(i, "',' or ']' is expected");
                }
            }
            case '"':
                return String(s, ref i);
            default:
                if (Word(s, ref i, "true")) return true;
                if (Word(s, ref i, "false")) return false;
                if (Word(s, ref i, "null")) return null;
                int start = i;
                if (i < s.Length && s[i] == '-') i++;
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] is '.' or 'e' or 'E' or '+' or '-')) i++;
                string raw = s.Substring(start, i - start);
                if (raw.Length == 0 || !double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    throw Error(start, "a value is expected");
                return new JsonNumber(raw);
        }
    }

    static bool Word(string s, ref int i, string word)
    {
        if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) return false;
        i += word.Length;
        return true;
    }

    static string String(string s, ref int i)
    {
        int start = i++;
        var result = new StringBuilder();
        while (true)
        {
            if (i >= s.Length) throw Error(start, "a string is not closed");
            char c = s[i++];
            if (c == '"') return result.ToString();
            if (c != '\\') { result.Append(c); continue; }
            if (i >= s.Length) throw Error(start, "a string is not closed");
            char escape = s[i++];
            switch (escape)
            {
                case '"': result.Append('"'); break;
                case '\\': result.Append('\\'); break;
                case '/': result.Append('/'); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u':
                    if (i + 4 > s.Length || !int.TryParse(s.Substring(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                        throw Error(i, "\\u needs four hexadecimal digits");
                    result.Append((char)code);
                    i += 4;
                    break;
                default: throw Error(i - 1, $"'\\{escape}' is not a JSON escape");
            }
        }
    }
}
