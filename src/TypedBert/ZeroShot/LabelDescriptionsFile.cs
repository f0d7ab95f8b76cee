using TypedBert.Data;

namespace TypedBert.ZeroShot;

/// <summary>
/// Reads label descriptions from a tab-separated file: one <c>label&lt;TAB&gt;description</c> per line, several lines per label allowed,
/// blank lines and lines starting with <c>#</c> ignored, no header.
/// </summary>
public static class LabelDescriptionsFile
{
    /// <summary>The descriptions in <paramref name="path"/> for <paramref name="labels"/>; a label without a line is described by its name.</summary>
    /// <exception cref="DataFormatException">A line has no tab, names no label, has an empty description, or repeats one: the file, line and fix.</exception>
    public static LabelDescriptions Read(string path, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var byLabel = labels.ToDictionary(l => l, _ => new List<string>(), StringComparer.Ordinal);
        var owner = new Dictionary<string, (string Label, int Line)>(StringComparer.OrdinalIgnoreCase);
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            string text = raw.TrimEnd('\r');
            if (text.Trim().Length == 0 || text.TrimStart().StartsWith('#')) continue;
            int tab = text.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0) throw new DataFormatException(path, line, "no tab: write the label, a tab, then the description");
            string label = text[..tab].Trim(), description = text[(tab + 1)..].Trim();
            string? known = labels.FirstOrDefault(l => string.Equals(l, label, StringComparison.Ordinal))
                ?? labels.FirstOrDefault(l => string.Equals(l, label, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                throw new DataFormatException(path, line, $"\"{label}\" is not a label ({string.Join(", ", labels)}); correct the label, or add it to the labels") { UnknownLabel = label };
            if (description.Length == 0)
                throw new DataFormatException(path, line, $"the description of \"{known}\" is empty; write a sentence after the tab, or remove the line to describe the label by its name");
            if (owner.TryGetValue(description, out var first))
                throw new DataFormatException(path, line, first.Label == known
                    ? $"\"{known}\" has this description already on line {first.Line}; remove one"
                    : $"this description is \"{first.Label}\"'s already (line {first.Line}), so it cannot tell the labels apart; reword one");
            owner[description] = (known, line);
            byLabel[known].Add(description);
        }
        return LabelDescriptions.For(labels, byLabel.Where(e => e.Value.Count > 0).ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
    }
}
