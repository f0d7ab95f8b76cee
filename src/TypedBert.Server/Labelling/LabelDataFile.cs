using System.Security.Cryptography;
using System.Text;
using TypedBert.Data;
using TypedBert.Serialization;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The labelled data file the page writes to: TSV with <c>text</c> and <c>label</c> columns, the training format. Every change
/// rewrites the whole file into a temporary file beside it, flushes it to disk and renames it over the old one (<see cref="AtomicFile"/>),
/// so a crash or a kill at any moment leaves the previous complete file or the new complete one, never half a row. One lock serialises
/// the writes; a text is in the file at most once (a second label for it, from another tab or a retried request, writes nothing).
/// Before each change the file on disk is compared with what this server last read or wrote (its SHA-256): a file changed by someone
/// else is read again and the change goes on top of it, so nothing they wrote is overwritten.
/// </summary>
internal sealed class LabelDataFile
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly object gate = new();
    readonly HashSet<string> appendedHere = new(StringComparer.Ordinal);
    string content = "";
    byte[] digest = [];
    List<DataRow> rows = [];
    string[] header = [];
    int textColumn, labelColumn;

    /// <summary>Reads <paramref name="path"/>, or creates it with a header line when it does not exist.</summary>
    /// <exception cref="DataFormatException">The file is not the training format (no <c>text</c> or <c>label</c> column, a malformed row).</exception>
    public LabelDataFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(Path)) Write("text\tlabel\n");
        Reload();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The file's name, without its folder (what leaves the server).</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>Labelled rows in the file.</summary>
    public int Count
    {
        get
        {
            lock (gate) return rows.Count;
        }
    }

    /// <summary>The rows as last read or written (for training).</summary>
    public IReadOnlyList<DataRow> Rows()
    {
        lock (gate) return [.. rows];
    }

    /// <summary>The texts already labelled.</summary>
    public IReadOnlySet<string> Texts()
    {
        lock (gate) return rows.Select(r => r.Text).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Appends <paramref name="text"/> with <paramref name="labelCell"/> (one label, or several joined by <see cref="LabelSet.MultiLabelSeparator"/>),
    /// unless the text is already labelled, in which case nothing is written and its existing label is returned.
    /// </summary>
    /// <exception cref="LabelDataConflictException">The file was changed on disk into something that is not the training format.</exception>
    public LabelWrite Append(string text, string labelCell)
    {
        lock (gate)
        {
            bool reloaded = ReloadIfChanged();
            if (rows.FirstOrDefault(r => r.Text == text) is { } existing) return new LabelWrite(false, reloaded, rows.Count, existing.Label);
            string separator = content.Length == 0 || content.EndsWith('\n') ? "" : "\n";
            var fields = new string[header.Length];
            Array.Fill(fields, "");
            fields[textColumn] = TsvField.Write(text);
            fields[labelColumn] = TsvField.Write(labelCell);
            string row = string.Join('\t', fields) + "\n";
            int line = LineCount(content + separator) + 1;
            string next = content + separator + row;
            WriteIfUnchanged(next);
            rows.Add(new DataRow(Path, line, text, null, labelCell));
            appendedHere.Add(text);
            return new LabelWrite(true, reloaded, rows.Count, labelCell);
        }
    }

    /// <summary>Removes the row of <paramref name="text"/>, when this server wrote it (undo); false when there is none to remove.</summary>
    /// <exception cref="LabelDataConflictException">The file was changed on disk into something that is not the training format.</exception>
    public (bool Removed, bool Reloaded) Remove(string text)
    {
        lock (gate)
        {
            bool reloaded = ReloadIfChanged();
            int index = rows.FindLastIndex(r => r.Text == text);
            if (index < 0 || !appendedHere.Contains(text)) return (false, reloaded);
            var lines = content.Split('\n').ToList(); // the last element is what follows the final line break ("" normally)
            int first = rows[index].Line - 1;
            int end = index + 1 < rows.Count ? rows[index + 1].Line - 1 : lines.Count - 1;
            if (end <= first) end = first + 1; // a final row without a line break
            lines.RemoveRange(first, end - first);
            string next = string.Join('\n', lines);
            WriteIfUnchanged(next);
            int removedLines = end - first;
            for (int i = index + 1; i < rows.Count; i++) rows[i] = rows[i] with { Line = rows[i].Line - removedLines };
            rows.RemoveAt(index);
            appendedHere.Remove(text);
            return (true, reloaded);
        }
    }

    /// <summary>Reads the file again when its bytes differ from what this server last read or wrote; true when it did.</summary>
    public bool ReloadIfChanged()
    {
        lock (gate)
        {
            byte[]? bytes = ReadBytes();
            if (bytes is not null && SHA256.HashData(bytes).AsSpan().SequenceEqual(digest)) return false;
            if (bytes is null) Write("text\tlabel\n"); // deleted meanwhile: start again with a header (nothing of anyone's to keep)
            try
            {
                Reload();
            }
            catch (DataFormatException e)
            {
                throw new LabelDataConflictException($"the data file {Name} was changed on disk and cannot be read ({e.Message}); fix it: the page writes nothing until then", e);
            }
            return true;
        }
    }

    /// <summary><see cref="ReloadIfChanged"/>, keeping the rows last read when the file on disk cannot be read (the next write says why).</summary>
    public void ReloadIfChangedQuietly()
    {
        try
        {
            ReloadIfChanged();
        }
        catch (LabelDataConflictException)
        {
        }
    }

    void Reload()
    {
        for (int attempt = 0; ; attempt++)
        {
            byte[] bytes = ReadBytes() ?? [];
            string text;
            try
            {
                text = Utf8.GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw new DataFormatException(Path, 1, $"the file is not valid UTF-8 ({e.Message})");
            }
            var (names, parsed) = Parse(text);
            // DataFile reads the path again: accept its rows only if the file did not change in between.
            if (ReadBytes() is { } again && !again.AsSpan().SequenceEqual(bytes) && attempt < 3) continue;
            header = names;
            rows = parsed;
            content = text;
            digest = SHA256.HashData(bytes);
            appendedHere.IntersectWith(rows.Select(r => r.Text));
            return;
        }
    }

    (string[] Header, List<DataRow> Rows) Parse(string text)
    {
        string first = text.Split('\n', 2)[0].TrimEnd('\r');
        if (first.Length == 0) throw new DataFormatException(Path, 1, "the first line must be the header \"text<TAB>label\"");
        string[] names = [.. first.Split('\t').Select(n => n.Trim('"'))];
        textColumn = Array.IndexOf(names, DataColumnDefaults.Text);
        labelColumn = Array.IndexOf(names, DataColumnDefaults.Label);
        if (textColumn < 0 || labelColumn < 0)
            throw new DataFormatException(Path, 1, $"the header must name a \"text\" and a \"label\" column, tab-separated (it has: {string.Join(", ", names)})");
        // A header alone: no rows yet (DataFile refuses a file without rows).
        if (text.Split('\n').Skip(1).All(l => l.Trim().Length == 0)) return (names, []);
        return (names, DataFile.Read(Path, new DataColumns()));
    }

    void WriteIfUnchanged(string next)
    {
        // The last look before the rename: a change that lands after it is the one window left (no lock is shared with other writers).
        if (ReadBytes() is { } bytes && !SHA256.HashData(bytes).AsSpan().SequenceEqual(digest))
            throw new LabelDataConflictException($"the data file {Name} changed on disk while this label was being written; nothing was written: label it again");
        Write(next);
    }

    void Write(string next)
    {
        byte[] bytes = Utf8.GetBytes(next);
        AtomicFile.WriteAllBytes(Path, bytes);
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(Path)!);
        content = next;
        digest = SHA256.HashData(bytes);
    }

    byte[]? ReadBytes()
    {
        try
        {
            return File.ReadAllBytes(Path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    static int LineCount(string text) => text.Count(c => c == '\n');
}

/// <summary>What <see cref="LabelDataFile.Append"/> did.</summary>
/// <param name="Written">A row was appended (false: the text was already labelled).</param>
/// <param name="Reloaded">The file had been changed on disk by someone else and was read again first.</param>
/// <param name="Rows">Rows in the file now.</param>
/// <param name="Label">The text's label cell in the file.</param>
internal readonly record struct LabelWrite(bool Written, bool Reloaded, int Rows, string Label);

/// <summary>The data file was changed on disk in a way the page cannot build on (answered with 409).</summary>
internal sealed class LabelDataConflictException(string message, Exception? inner = null) : Exception(message, inner);
