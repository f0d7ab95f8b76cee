using System.Globalization;

namespace TypedBert.Data;

/// <summary>
/// The label names of a classifier in id order, with parsing from a name or an id. Cells are read by <see cref="LabelMatching"/>, the rule
/// of the generated <c>[BertLabels]</c> parser: a name ignoring case, or an id.
/// </summary>
public sealed class LabelSet
{
    /// <summary>Separates several labels in one cell of a multi-label file ("Urgent|Billing").</summary>
    public const char MultiLabelSeparator = '|';

    readonly Dictionary<string, int> idByName;

    /// <summary>Creates a label set; names must be unique, ignoring case (a cell names a label ignoring case).</summary>
    /// <exception cref="ArgumentException">Two names are the same, or differ only in case.</exception>
    public LabelSet(IEnumerable<string> names)
    {
        Names = [.. names];
        idByName = new Dictionary<string, int>(LabelMatching.NameComparer);
        for (int i = 0; i < Names.Count; i++)
        {
            if (idByName.TryGetValue(Names[i], out int first))
                throw new ArgumentException(Names[first] == Names[i]
                    ? $"label \"{Names[i]}\" appears twice"
                    : $"labels \"{Names[first]}\" and \"{Names[i]}\" differ only in case; labels are read ignoring case, as the generated parser reads them, so they would be one label: rename one", nameof(names));
            idByName.Add(Names[i], i);
        }
    }

    /// <summary>Names in id order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of labels.</summary>
    public int Count => Names.Count;

    /// <summary>
    /// The labels found in <paramref name="rows"/>, sorted: numerically when every label is an integer (so "0", "1", ... keep their ids),
    /// otherwise ordinally. Multi-label cells contribute each of their labels. Spellings that differ only in case are one label, as
    /// <see cref="Parse"/> reads them; it keeps the first spelling in the file.
    /// </summary>
    public static LabelSet FromRows(IEnumerable<DataRow> rows, bool multiLabel)
    {
        var distinct = rows.SelectMany(r => multiLabel ? SplitMulti(r.Label) : [LabelMatching.Normalize(r.Label)])
            .Where(l => l.Length > 0).Distinct(LabelMatching.NameComparer).ToList();
        bool numeric = distinct.All(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        return new LabelSet(numeric
            ? distinct.OrderBy(l => int.Parse(l, CultureInfo.InvariantCulture))
            : distinct.Order(StringComparer.Ordinal));
    }

    /// <summary>The id of a label written as its name (ignoring case) or as its id, or null.</summary>
    public int? Find(string label)
    {
        string trimmed = LabelMatching.Normalize(label);
        if (idByName.TryGetValue(trimmed, out int id)) return id;
        return LabelMatching.TryParseId(trimmed, Count, out id) ? id : null;
    }

    /// <summary>The names closest to <paramref name="label"/> by edit distance (ignoring case), at most three.</summary>
    public IReadOnlyList<string> Closest(string label) => LabelMatching.Closest(Names, LabelMatching.Normalize(label));

    /// <summary>The id of a label written as its name (ignoring case) or as its id.</summary>
    /// <exception cref="DataFormatException">Neither; the message names the row, lists the known labels and the closest.</exception>
    public int Parse(string label, DataRow row) => Find(label)
        ?? throw new DataFormatException(row.Source, row.Line, $"unknown label \"{label}\" (known: {string.Join(", ", Names)}, or an id 0..{Count - 1}; "
            + $"closest: {string.Join(", ", Closest(label))})") { UnknownLabel = LabelMatching.Normalize(label) };

    /// <summary>The ids of a multi-label cell ("Urgent|Billing"); an empty cell means no label.</summary>
    public int[] ParseMany(DataRow row) => [.. SplitMulti(row.Label).Select(l => Parse(l, row)).Distinct().Order()];

    static IEnumerable<string> SplitMulti(string cell) =>
        cell.Split(MultiLabelSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
