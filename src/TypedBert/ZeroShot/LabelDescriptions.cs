namespace TypedBert.ZeroShot;

/// <summary>
/// One or more sentences that describe each label, in label-id order: what a zero-shot classifier compares a text against.
/// A label given no description is described by its own name.
/// </summary>
public sealed class LabelDescriptions
{
    readonly string[][] perLabel;

    LabelDescriptions(IReadOnlyList<string> labels, string[][] perLabel)
    {
        Labels = labels;
        this.perLabel = perLabel;
    }

    /// <summary>Label names in id order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The descriptions of label <paramref name="id"/> (at least one: its name when none was given).</summary>
    public IReadOnlyList<string> Of(int id) => perLabel[id];

    /// <summary>The descriptions of <paramref name="labels"/> given in label-id order (an empty list: the label's name); see <see cref="For"/>.</summary>
    /// <exception cref="ArgumentException">The lists do not match the labels, or a description is empty or repeated.</exception>
    public static LabelDescriptions InOrder(IReadOnlyList<string> labels, IReadOnlyList<IReadOnlyList<string>> perLabel)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(perLabel);
        if (perLabel.Count != labels.Count)
            throw new ArgumentException($"{perLabel.Count} description lists for {labels.Count} labels; give one list per label, in id order", nameof(perLabel));
        return For(labels, Enumerable.Range(0, labels.Count).Where(id => perLabel[id].Count > 0).ToDictionary(id => labels[id], id => perLabel[id]));
    }

    /// <summary>
    /// The descriptions of <paramref name="labels"/>: <paramref name="descriptions"/> maps a label name (exact spelling) to its sentences;
    /// a label missing from it is described by its name.
    /// </summary>
    /// <exception cref="ArgumentException">A description names no label, is empty, or is given twice (to one label or to two, ignoring
    /// case and surrounding spaces): the message names the label and the fix.</exception>
    public static LabelDescriptions For(IReadOnlyList<string> labels, IReadOnlyDictionary<string, IReadOnlyList<string>>? descriptions = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count < 2) throw new ArgumentException($"a zero-shot classifier needs at least two labels, got {labels.Count}", nameof(labels));
        descriptions ??= new Dictionary<string, IReadOnlyList<string>>();
        foreach (var label in descriptions.Keys)
            if (!labels.Contains(label, StringComparer.Ordinal))
                throw new ArgumentException($"descriptions are given for \"{label}\", which is not a label ({string.Join(", ", labels)}); correct the label name", nameof(descriptions));
        var owner = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var perLabel = new string[labels.Count][];
        for (int id = 0; id < labels.Count; id++)
        {
            var given = descriptions.TryGetValue(labels[id], out var list) ? list : [];
            foreach (var description in given)
            {
                if (string.IsNullOrWhiteSpace(description))
                    throw new ArgumentException($"label \"{labels[id]}\" has an empty description; write a sentence about the label, or give it none to use its name", nameof(descriptions));
                string key = description.Trim();
                if (owner.TryGetValue(key, out var first))
                    throw new ArgumentException(first == labels[id]
                        ? $"label \"{labels[id]}\" has the description \"{key}\" twice; remove one"
                        : $"labels \"{first}\" and \"{labels[id]}\" have the same description \"{key}\", which cannot tell them apart; reword one", nameof(descriptions));
                owner[key] = labels[id];
            }
            perLabel[id] = given.Count > 0 ? [.. given.Select(d => d.Trim())] : [labels[id]];
        }
        return new LabelDescriptions([.. labels], perLabel);
    }
}
