using System.Text;

namespace TypedBert.Data;

/// <summary>
/// Reads tab- or comma-separated text with a header, the way Python's csv module does by default: a field that starts with a
/// double quote is quoted, <c>""</c> inside it is one quote, and it may span lines.
/// </summary>
internal static class DelimitedTextReader
{
    /// <summary>Records with the 1-based line each starts on. The first record is the header.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(string path, char delimiter)
    {
        using var reader = OpenStrictUtf8(path);
        int lineNumber = 0;
        string? line;
        while ((line = ReadLine(reader, path, lineNumber + 1)) is not null)
        {
            lineNumber++;
            int start = lineNumber;
            if (line.Length == 0) continue;
            var fields = new List<string>();
            var field = new StringBuilder();
            int i = 0;
            while (true)
            {
                if (i < line.Length && line[i] == '"' && field.Length == 0)
                {
                    i++;
                    while (true)
                    {
                        if (i >= line.Length)
                        {
                            line = ReadLine(reader, path, lineNumber + 1)
                                ?? throw new DataFormatException(path, start, "a quoted field is not closed before the end of the file");
                            lineNumber++;
                            field.Append('\n');
                            i = 0;
                            continue;
                        }
                        if (line[i] == '"')
                        {
                            if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        field.Append(line[i++]);
                    }
                    // Text after a closing quote belongs to the field, as Python's csv module keeps it.
                    while (i < line.Length && line[i] != delimiter) field.Append(line[i++]);
                }
                else
                {
                    while (i < line.Length && line[i] != delimiter) field.Append(line[i++]);
                }
                fields.Add(field.ToString());
                field.Clear();
                if (i >= line.Length) break;
                i++; // delimiter
            }
            yield return (start, fields);
        }
    }

    internal static StreamReader OpenStrictUtf8(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: data file not found", path);
        return new StreamReader(path, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
    }

    internal static string? ReadLine(StreamReader reader, string path, int lineNumber)
    {
        try { return reader.ReadLine(); }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(path, lineNumber, $"not valid UTF-8 text ({e.Message}); save the file as UTF-8");
        }
    }
}
