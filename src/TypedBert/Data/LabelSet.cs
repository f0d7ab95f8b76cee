using System.Globalization;

namespace TypedBert.Data;

/// <summary>The label names of a classifier in id order, with parsing from a name or an id.</summary>
public sealed class LabelSet
{
    /// <summary>Separates several labels in one cell of a multi-label file ("Urgent|Billing").</summary>
    public const char MultiLabelSeparator = '|';

    readonly Dictionary<string, int> idByName;

    /// <summary>Creates a label set; names must be unique.</summary>
    public LabelSet(IEnumerable<string> names)
    {
        Names = [.. names];
        idByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Count; i++)
            if (!idByName.TryAdd(Names[i], i)) throw new ArgumentException($"label \"{Names[i]}\" appears twice", nameof(names));
    }

    /// <summary>Names in id order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Number of labels.</summary>
    public int Count => Names.Count;

    /// <summary>
    /// The labels found in <paramref name="rows"/>, sorted: numerically when every label is an integer (so "0", "1", ... keep their ids),
    /// otherwise ordinally. Multi-label cells contribute each of their labels.
    /// </summary>
    public static LabelSet FromRows(IEnumerable<DataRow> rows, bool multiLabel)
    {
        var distinct = rows.SelectMany(r => multiLabel ? SplitMulti(r.Label) : [r.Label.Trim()])
            .Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        bool numeric = distinct.All(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out _));
        return new LabelSet(numeric
            ? distinct.OrderBy(l => int.Parse(l, CultureInfo.InvariantCulture))
            : distinct.Order(StringComparer.Ordinal));
    }

    /// <summary>The id of a label written as its name or as its id.</summary>
    /// <exception cref="DataFormatException">Neither; the message names the row and lists the known labels.</exception>
    public int Parse(string label, DataRow row)
    {
        string trimmed = label.Trim();
        if (idByName.TryGetValue(trimmed, out int id)) return id;
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < Count) return id;
        throw new DataFormatException(row.Source, row.Line, $"unknown label \"{label}\" (known: {string.Join(", ", Names)}, or an id 0..{Count - 1})");
    }

    /// <summary>The ids of a multi-label cell ("Urgent|Billing"); an empty cell means no label.</summary>
    public int[] ParseMany(DataRow row) => [.. SplitMulti(row.Label).Select(l => Parse(l, row)).Distinct().Order()];

    static IEnumerable<string> SplitMulti(string cell) =>
        cell.Split(MultiLabelSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
