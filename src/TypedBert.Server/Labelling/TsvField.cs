namespace TypedBert.Server.Labelling;

/// <summary>
/// One field of a TSV row as the project's reader (<c>DataFile</c>, Python's csv module) reads it back: quoted when it holds a tab,
/// a line break or starts with a double quote, with each quote doubled inside.
/// </summary>
internal static class TsvField
{
    public static string Write(string value)
    {
        // A carriage return would be lost by the line reader; a line break inside quotes reads back as '\n'.
        value = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        bool quote = value.Contains('\t') || value.Contains('\n') || value.StartsWith('"');
        return quote ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
