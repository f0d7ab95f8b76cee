using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Text;
using TypedBert.Data;
using TypedBert.Generators.Model;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// Reads the AdditionalFiles that <c>[BertLabels]</c> names: the label column of a training file and the <c>id2label</c> of a
/// model folder's config.json. Works on the text Roslyn hands over (an analyzer may not open files itself).
/// </summary>
internal static class FileScanner
{
    /// <summary>Whether <paramref name="additionalPath"/> is the file the attribute names as <paramref name="requested"/>.</summary>
    /// <remarks>
    /// A relative path is relative to the project folder (MSBuild's <c>ProjectDir</c>, which the SDK passes to analyzers). Without
    /// it (a compilation outside MSBuild) the file matches when its path ends with the requested one.
    /// </remarks>
    public static bool Matches(string additionalPath, string requested, string? projectDirectory)
    {
        string file = Normalize(additionalPath);
        string? full = IsRooted(requested) ? requested
            : string.IsNullOrEmpty(projectDirectory) ? null
            : projectDirectory!.TrimEnd('/', '\\') + "/" + requested;
        // Windows paths (a drive letter) compare without case, as the file system does.
        var comparison = file.Length > 1 && file[1] == ':' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (full is not null) return string.Equals(file, Normalize(full), comparison);
        string tail = Normalize(requested).TrimStart('/');
        return string.Equals(file, tail, comparison) || file.EndsWith("/" + tail, comparison);
    }

    static bool IsRooted(string path) =>
        path.StartsWith("/", StringComparison.Ordinal) || path.StartsWith("\\", StringComparison.Ordinal) || (path.Length > 1 && path[1] == ':');

    /// <summary>Forward slashes, with "." and ".." segments resolved.</summary>
    internal static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part == "." || (part.Length == 0 && parts.Count > 0)) continue;
            if (part == ".." && parts.Count > 0 && parts[parts.Count - 1] is not ".." and not "") parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join("/", parts);
    }

    /// <summary>Where each line starts, splitting as <see cref="TextReader.ReadLine"/> does (\r, \n, \r\n), so line numbers agree with DataFile's.</summary>
    internal static List<int> LineStarts(string content)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < content.Length; i++)
        {
            char c = content[i];
            if (c == '\r' && i + 1 < content.Length && content[i + 1] == '\n') i++;
            if (c is '\r' or '\n') starts.Add(i + 1);
        }
        return starts;
    }

    /// <summary>The 1-based <paramref name="line"/> of <paramref name="content"/>, clamped to the file.</summary>
    internal static FilePosition Position(string content, List<int> starts, int line)
    {
        int index = Math.Max(0, Math.Min(line - 1, starts.Count - 1));
        int start = starts[index], end = start;
        while (end < content.Length && content[end] is not '\r' and not '\n') end++;
        return new FilePosition(index, start, end - start);
    }

    /// <summary>The distinct cells of the label column, counted, or the first reason the file cannot be used.</summary>
    public static DataFileScan ScanData(DataRequest request, string filePath, SourceText? text, CancellationToken cancellationToken)
    {
        DataFileScan Failed(string reason, FilePosition at = default) => new(request, filePath, 0, default, default, reason, at);
        DataFileScan MissingColumn(string column, IEnumerable<string> columns, FilePosition at) =>
            new(request, filePath, 0, at, default, $"no column \"{column}\"", at, column, string.Join(", ", columns));
        if (text is null) return Failed("the file cannot be opened");
        string content = text.ToString();
        var starts = LineStarts(content);
        string extension = Path.GetExtension(request.Path).ToLowerInvariant();
        var cells = new Dictionary<string, (int Count, int FirstLine)>(StringComparer.Ordinal);
        int rows = 0, headerLine = 1;

        void Add(string cell, int line)
        {
            rows++;
            if ((rows & 0xFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
            cells[cell] = cells.TryGetValue(cell, out var seen) ? (seen.Count + 1, seen.FirstLine) : (1, line);
        }

        try
        {
            switch (extension)
            {
                case ".tsv" or ".tab" or ".txt" or ".csv":
                {
                    char delimiter = extension == ".csv" ? ',' : '\t';
                    List<string>? header = null;
                    int labelIndex = -1;
                    // Only the label column is built as a string; the texts, most of the file, are skipped.
                    foreach (var (line, fields) in DelimitedTextReader.Read(new StringReader(content), request.Path, delimiter, i => labelIndex < 0 || i == labelIndex))
                    {
                        if (header is null)
                        {
                            header = fields;
                            headerLine = line;
                            foreach (var column in request.TextColumn.Split(',').Select(c => c.Trim()).Concat(new[] { request.LabelColumn }))
                                if (!header.Contains(column))
                                    return MissingColumn(column, header, Position(content, starts, line));
                            labelIndex = header.IndexOf(request.LabelColumn);
                            continue;
                        }
                        if (fields.Count != header.Count)
                            return Failed($"line {line.ToString(CultureInfo.InvariantCulture)} has {fields.Count.ToString(CultureInfo.InvariantCulture)} fields, but the header has {header.Count.ToString(CultureInfo.InvariantCulture)}", Position(content, starts, line));
                        Add(fields[labelIndex], line);
                    }
                    if (header is null) return Failed("the file is empty (no header line)");
                    break;
                }
                case ".jsonl" or ".json" or ".ndjson":
                {
                    bool first = true;
                    for (int index = 0; index < starts.Count; index++)
                    {
                        int line = index + 1;
                        var at = Position(content, starts, line);
                        string record = content.Substring(at.Start, at.Length);
                        if (record.Trim().Length == 0) continue;
                        if (first) { headerLine = line; first = false; }
                        object? parsed;
                        try { parsed = MiniJson.Parse(record); }
                        catch (FormatException e) { return Failed($"line {line.ToString(CultureInfo.InvariantCulture)} is not valid JSON ({e.Message})", at); }
                        if (parsed is not Dictionary<string, object?> fields) return Failed($"line {line.ToString(CultureInfo.InvariantCulture)} is not a JSON object", at);
                        foreach (var column in request.TextColumn.Split(',').Select(c => c.Trim()))
                            if (!fields.TryGetValue(column, out var value) || value is not string)
                                return MissingColumn(column, fields.Keys, at);
                        if (!fields.TryGetValue(request.LabelColumn, out var label))
                            return MissingColumn(request.LabelColumn, fields.Keys, at);
                        string? cell = Cell(label);
                        if (cell is null) return Failed($"line {line.ToString(CultureInfo.InvariantCulture)}: field \"{request.LabelColumn}\" is {(label is null ? "null" : "an object")}, not a label", at);
                        Add(cell, line);
                    }
                    break;
                }
                default:
                    return Failed($"\"{extension}\" is not a data format TypedBert reads; use .tsv, .csv or .jsonl");
            }
        }
        catch (DataFormatException e)
        {
            return Failed(e.Reason, Position(content, starts, e.LineNumber));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else goes wrong becomes TB0204 with the reason, rather than a generator crash (CS8785) that drops all output.
            return Failed($"it could not be read ({e.GetType().Name}: {e.Message})");
        }
        if (rows == 0) return Failed("the file holds no data rows", Position(content, starts, headerLine));
        return new DataFileScan(request, filePath, rows, Position(content, starts, headerLine),
            cells.OrderBy(c => c.Value.FirstLine).Select(c => new LabelCell(c.Key, c.Value.Count, Position(content, starts, c.Value.FirstLine))).ToEquatableArray(),
            null, default);
    }

    /// <summary>A JSON label as DataFile turns it into a cell: strings as they are, numbers and booleans as written, arrays joined with '|'.</summary>
    static string? Cell(object? value) => value switch
    {
        string s => s,
        MiniJson.JsonNumber n => n.Raw,
        bool b => b ? "true" : "false",
        List<object?> items => string.Join(LabelSeparator.ToString(), items.Select(i => i switch
        {
            string s => s,
            MiniJson.JsonNumber n => n.Raw,
            bool b => b ? "true" : "false",
            null => "null",
            _ => "",
        })),
        _ => null,
    };

    /// <summary>TypedBert.Data.LabelSet.MultiLabelSeparator: several labels of a [Flags] enum in one cell.</summary>
    public const char LabelSeparator = '|';

    /// <summary>A model folder's <c>id2label</c>, in id order.</summary>
    public static ModelConfigScan ScanConfig(string modelPath, string filePath, SourceText? text)
    {
        if (text is null) return new ModelConfigScan(modelPath, filePath, default, "the file cannot be opened", default);
        string content = text.ToString();
        var starts = LineStarts(content);
        int at = content.IndexOf("\"id2label\"", StringComparison.Ordinal);
        var position = at < 0 ? Position(content, starts, 1) : Position(content, starts, starts.FindLastIndex(s => s <= at) + 1);
        ModelConfigScan Failed(string reason) => new(modelPath, filePath, default, reason, position);
        object? parsed;
        try { parsed = MiniJson.Parse(content); }
        catch (FormatException e) { return Failed($"it is not valid JSON ({e.Message})"); }
        if (parsed is not Dictionary<string, object?> config) return Failed("it is not a JSON object");
        if (!config.TryGetValue("id2label", out var value) || value is not Dictionary<string, object?> id2label)
            return Failed("it has no \"id2label\" object");
        var labels = new string?[id2label.Count];
        foreach (var pair in id2label)
        {
            if (!int.TryParse(pair.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id >= labels.Length || labels[id] is not null)
                return Failed($"\"id2label\" has the key \"{pair.Key}\"; its keys must be the ids 0..{(labels.Length - 1).ToString(CultureInfo.InvariantCulture)}");
            if (pair.Value is not string label) return Failed($"\"id2label\" maps \"{pair.Key}\" to something other than a string");
            labels[id] = label;
        }
        return new ModelConfigScan(modelPath, filePath, labels.Select(l => l!).ToEquatableArray(), null, position);
    }
}
