using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace TypedBert.Data;

/// <summary>
/// Reads tab- or comma-separated text with a header, the way Python's csv module does by default: a field that starts with a
/// double quote is quoted, <c>""</c> inside it is one quote, and it may span lines. The source generator reads AdditionalFiles
/// text with this same reader (through TypedBert.Abstractions), so that a training file's label column is read at build time
/// exactly as <c>DataFile</c> reads it at run time.
/// </summary>
internal static class DelimitedTextReader
{
    /// <summary>Records with the 1-based line each starts on. The first record is the header.</summary>
    public static IEnumerable<(int Line, List<string> Fields)> Read(string path, char delimiter)
    {
        using var reader = OpenStrictUtf8(path);
        foreach (var record in Read(reader, path, delimiter)) yield return record;
    }

    /// <summary>Records of <paramref name="reader"/>, with the 1-based line each starts on. The first record is the header.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="path">The file's name, for error messages.</param>
    /// <param name="delimiter">Tab or comma.</param>
    /// <param name="keepField">
    /// Which fields (by index) to keep; the others come back empty, which saves building strings nobody reads (the generator
    /// wants only the label column of a file that may hold 100,000 texts). Asked once per field; null keeps every field.
    /// </param>
    public static IEnumerable<(int Line, List<string> Fields)> Read(TextReader reader, string path, char delimiter, Func<int, bool>? keepField = null)
    {
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
                bool keep = keepField?.Invoke(fields.Count) ?? true;
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
                            if (keep) field.Append('\n');
                            i = 0;
                            continue;
                        }
                        if (line[i] == '"')
                        {
                            if (i + 1 < line.Length && line[i + 1] == '"') { if (keep) field.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        if (keep) field.Append(line[i]);
                        i++;
                    }
                    // Text after a closing quote belongs to the field, as Python's csv module keeps it.
                    while (i < line.Length && line[i] != delimiter) { if (keep) field.Append(line[i]); i++; }
                }
                else
                {
                    int end = line.IndexOf(delimiter, i);
                    if (end < 0) end = line.Length;
                    if (keep) field.Append(line, i, end - i);
                    i = end;
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


    internal static string? ReadLine(TextReader reader, string path, int lineNumber)
    {
        try { return reader.ReadLine(); }
        catch (DecoderFallbackException e)
        {
            throw new DataFormatException(path, lineNumber, $"not valid UTF-8 text ({e.Message}); save the file as UTF-8");
        }
    }
}
