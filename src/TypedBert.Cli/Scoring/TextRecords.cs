using System.Text.Json;
using TypedBert.Cli.Errors;

namespace TypedBert.Cli.Scoring;

/// <summary>
/// The texts of a JSON Lines file (one object per line, the text in <c>"text"</c>, an optional <c>"id"</c> carried to the output) or a
/// TSV file (a header row naming a <c>text</c> column, and <c>id</c> if any), read line by line: memory does not grow with the file.
/// Blank lines are not records; record numbers count from 0.
/// </summary>
internal sealed class TextRecords(string path, string textField)
{
    bool Tsv => path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tab", StringComparison.OrdinalIgnoreCase);

    /// <summary>Counts the records (first pass: lines only, nothing parsed).</summary>
    public long Count()
    {
        long count = 0;
        bool header = Tsv;
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0) continue;
            if (header) header = false;
            else count++;
        }
        return count;
    }

    /// <summary>The records in order; <paramref name="wanted"/> says which to parse (the others are only counted).</summary>
    public IEnumerable<TextRecord?> Read(Func<long, bool> wanted)
    {
        long index = 0, lineNumber = 0;
        int textColumn = -1, idColumn = -1;
        bool header = Tsv;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            if (header)
            {
                string[] names = line.Split('\t');
                textColumn = Array.IndexOf(names, textField);
                idColumn = Array.IndexOf(names, "id");
                if (textColumn < 0)
                    throw CliException.BadInput($"{path}:1: no column named {textField} (columns: {string.Join(", ", names)}); name the text column with --text-field");
                header = false;
                continue;
            }
            long current = index++;
            if (!wanted(current))
            {
                yield return null;
                continue;
            }
            yield return Tsv ? FromTsv(line, lineNumber, current, textColumn, idColumn) : FromJson(line, lineNumber, current);
        }
    }

    TextRecord FromTsv(string line, long lineNumber, long index, int textColumn, int idColumn)
    {
        string[] cells = line.Split('\t');
        if (cells.Length <= Math.Max(textColumn, idColumn))
            throw CliException.BadInput($"{path}:{lineNumber}: {cells.Length} columns, the header has more; a text with a tab must be written in JSON Lines instead");
        return new TextRecord(index, cells[textColumn], idColumn >= 0 ? JsonSerializer.SerializeToElement(cells[idColumn]) : null);
    }

    TextRecord FromJson(string line, long lineNumber, long index)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(textField, out var text) || text.ValueKind != JsonValueKind.String)
                throw CliException.BadInput($"{path}:{lineNumber}: expected an object with a string field \"{textField}\" (name another with --text-field)");
            JsonElement? id = json.RootElement.TryGetProperty("id", out var value) ? value.Clone() : null;
            return new TextRecord(index, text.GetString()!, id);
        }
        catch (JsonException e)
        {
            throw CliException.BadInput($"{path}:{lineNumber}: not JSON ({e.Message})", e);
        }
    }
}

/// <summary>One text to score: its record number, the text, and the input's id if it had one.</summary>
internal sealed record TextRecord(long Index, string Text, JsonElement? Id);
