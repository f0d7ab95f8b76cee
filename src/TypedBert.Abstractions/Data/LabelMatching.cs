using System;
using System.Collections.Generic;
using System.Linq;
using System.Globalization;

namespace TypedBert.Data;

/// <summary>
/// How a label cell names a label, the rule of the generated <c>TryParse</c> of a <c>[BertLabels]</c> enum and of the build-time data
/// check (TB0201): the cell, trimmed, equals a label name ignoring case (ordinal, culture-free), or is a label id written as a plain
/// non-negative integer. <c>LabelSet</c> parses with it, so that the command line and a typed project read a file alike.
/// Written for netstandard2.0 too, so that the generator can compile this same file.
/// </summary>
public static class LabelMatching
{
    /// <summary>Label names compare ordinally, ignoring case: "positive" names "Positive".</summary>
    public static StringComparer NameComparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>What a cell is compared as: without the spaces around it.</summary>
    public static string Normalize(string cell) => cell.Trim();

    /// <summary>A label id written as a plain integer ("2", not "+2", "2.0" or " 2 " once trimmed) below <paramref name="count"/>.</summary>
    public static bool TryParseId(string text, int count, out int id) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id < count;

    /// <summary>The names fewest edits away from <paramref name="text"/> (ignoring case), at most three, in id order among equals.</summary>
    public static IReadOnlyList<string> Closest(IReadOnlyList<string> names, string text)
    {
        if (names.Count == 0) return [];
        var distances = names.Select(n => EditDistance(text, n)).ToList();
        int best = distances.Min();
        return names.Where((_, i) => distances[i] == best).Take(3).ToList();
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    public static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
