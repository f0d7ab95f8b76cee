using System.Security.Cryptography;
using System.Text;
using TypedBert.Data;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The unlabelled texts the page offers, read once at start: a <c>.txt</c> file holds one text per line; TSV, CSV and JSON Lines files
/// a <c>text</c> column. Each distinct text gets an id from its content, so the same text has the same id in every tab and after a
/// restart: the id is what makes a label idempotent.
/// </summary>
internal sealed class LabelPool
{
    readonly Dictionary<string, PoolText> byId;

    public LabelPool(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var texts = System.IO.Path.GetExtension(path).Equals(".txt", StringComparison.OrdinalIgnoreCase)
            ? File.ReadLines(Path, new UTF8Encoding(false, throwOnInvalidBytes: true)).Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0)
            : DataFile.Read(Path, new DataColumns(Text: DataColumnDefaults.Text, Label: DataColumnDefaults.Text)).Select(r => r.Text).Where(t => t.Trim().Length > 0);
        Texts = [.. texts.Distinct(StringComparer.Ordinal).Select(t => new PoolText(IdOf(t), t))];
        if (Texts.Count == 0) throw new DataFormatException(Path, 1, "the pool holds no texts; write one text per line (.txt) or a \"text\" column");
        byId = Texts.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The distinct texts, in file order.</summary>
    public IReadOnlyList<PoolText> Texts { get; }

    /// <summary>The text with id <paramref name="id"/>, or null.</summary>
    public PoolText? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>A text's id: the first 16 hex digits of its UTF-8 SHA-256.</summary>
    public static string IdOf(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
}

/// <summary>A text of the pool and its id.</summary>
internal sealed record PoolText(string Id, string Text);
