using System.Globalization;
using System.Text.Json;

namespace TypedBert.Data;

/// <summary>Reads labelled texts from TSV, CSV (with a header line) or JSON Lines files.</summary>
public static class DataFile
{
    /// <summary>Reads every row; the format follows the extension (.tsv, .csv, .jsonl / .json).</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">Which columns hold text, pair text and label.</param>
    /// <param name="skipBadRows">When true, rows with a problem are left out and counted in <paramref name="skipped"/>; otherwise the first one throws.</param>
    /// <param name="skipped">Rows left out, each with its reason.</param>
    /// <exception cref="DataFormatException">A row is malformed (file, line and reason in the message).</exception>
    public static List<DataRow> Read(string path, DataColumns columns, bool skipBadRows, out List<DataFormatException> skipped)
    {
        var rows = new List<DataRow>();
        skipped = [];
        string extension = Path.GetExtension(path).ToLowerInvariant();
        var records = extension switch
        {
            ".tsv" or ".tab" or ".txt" => ReadDelimited(path, '\t', columns),
            ".csv" => ReadDelimited(path, ',', columns),
            ".jsonl" or ".json" or ".ndjson" => ReadJsonLines(path, columns),
            _ => throw new NotSupportedException($"{path}: unknown data format \"{extension}\"; use .tsv, .csv or .jsonl"),
        };
        foreach (var record in records)
        {
            if (record.Row is not null) rows.Add(record.Row);
            else if (skipBadRows) skipped.Add(record.Error!);
            else throw record.Error!;
        }
        if (rows.Count == 0 && skipped.Count == 0)
            throw new DataFormatException(path, 1, extension is ".jsonl" or ".json" or ".ndjson"
                ? "the file holds no data rows; write one JSON object per line"
                : "the file holds no data rows; add rows below the header line");
        return rows;
    }

    /// <summary>Reads every row and throws at the first bad one.</summary>
    public static List<DataRow> Read(string path, DataColumns columns) => Read(path, columns, skipBadRows: false, out _);

    readonly record struct Record(DataRow? Row, DataFormatException? Error);

    static IEnumerable<Record> ReadDelimited(string path, char delimiter, DataColumns columns)
    {
        List<string>? header = null;
        int[] textIndexes = [];
        int labelIndex = -1, pairIndex = -1;
        foreach (var (line, fields) in DelimitedTextReader.Read(path, delimiter))
        {
            if (header is null)
            {
                header = fields;
                int Find(string name) => header.IndexOf(name) is var at and >= 0 ? at
                    : throw new DataFormatException(path, line, $"no column \"{name}\" in the header (columns: {string.Join(", ", header)})") { MissingColumn = name };
                textIndexes = [.. columns.Text.Split(',').Select(c => Find(c.Trim()))];
                labelIndex = Find(columns.Label);
                pairIndex = columns.TextPair is null ? -1 : Find(columns.TextPair);
                continue;
            }
            if (fields.Count != header.Count)
            {
                yield return new Record(null, new DataFormatException(path, line,
                    $"{fields.Count} fields, but the header has {header.Count} (a field that holds a {(delimiter == '\t' ? "tab" : "comma")} must be in double quotes)"));
                continue;
            }
            string text = string.Join(columns.JoinTextColumnsWith, textIndexes.Select(i => fields[i]));
            yield return new Record(new DataRow(path, line, text, pairIndex < 0 ? null : fields[pairIndex], fields[labelIndex]), null);
        }
        if (header is null)
        {
            string separator = delimiter == '\t' ? "<TAB>" : ",";
            throw new DataFormatException(path, 1, $"the file is empty: write a header line ({columns.Text}{separator}{columns.Label}) and a row per example");
        }
    }

    static IEnumerable<Record> ReadJsonLines(string path, DataColumns columns)
    {
        using var reader = DelimitedTextReader.OpenStrictUtf8(path);
        int line = 0;
        string? content;
        while ((content = DelimitedTextReader.ReadLine(reader, path, line + 1)) is not null)
        {
            line++;
            if (string.IsNullOrWhiteSpace(content)) continue;
            yield return ParseJsonLine(path, line, content, columns);
        }
    }

    static Record ParseJsonLine(string path, int line, string content, DataColumns columns)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Error("the line is not a JSON object");
            var texts = new List<string>();
            foreach (var column in columns.Text.Split(',').Select(c => c.Trim()))
            {
                if (!root.TryGetProperty(column, out var value) || value.ValueKind != JsonValueKind.String)
                    return Error($"no string field \"{column}\"", column);
                texts.Add(value.GetString()!);
            }
            string? pair = null;
            if (columns.TextPair is not null)
            {
                if (!root.TryGetProperty(columns.TextPair, out var p) || p.ValueKind != JsonValueKind.String) return Error($"no string field \"{columns.TextPair}\"", columns.TextPair);
                pair = p.GetString();
            }
            if (!root.TryGetProperty(columns.Label, out var label)) return Error($"no field \"{columns.Label}\"", columns.Label);
            string labelText = label.ValueKind switch
            {
                JsonValueKind.String => label.GetString()!,
                JsonValueKind.Number => label.GetRawText(),
                JsonValueKind.True or JsonValueKind.False => label.GetRawText(),
                JsonValueKind.Array => string.Join(LabelSet.MultiLabelSeparator, label.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                _ => "",
            };
            if (label.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Array or JsonValueKind.True or JsonValueKind.False))
                return Error($"field \"{columns.Label}\" is {label.ValueKind}, not a label");
            return new Record(new DataRow(path, line, string.Join(columns.JoinTextColumnsWith, texts), pair, labelText), null);
        }
        catch (JsonException e)
        {
            return Error($"not valid JSON ({e.Message})");
        }

        Record Error(string reason, string? missingColumn = null) => new(null, new DataFormatException(path, line, reason) { MissingColumn = missingColumn });
    }

    /// <summary>Parses a number written the invariant way ("0.5"), for regression targets.</summary>
    internal static bool TryParseNumber(string text, out float value) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
