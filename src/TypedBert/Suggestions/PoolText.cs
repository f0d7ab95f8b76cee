namespace TypedBert.Suggestions;

/// <summary>Which pool texts may be suggested: each distinct text once, never an empty one nor one that is labelled already.</summary>
internal static class PoolText
{
    /// <summary>
    /// The key two texts are compared by: the text without surrounding white space, compared ordinally, as the CLI's pool checks
    /// compare pool and test texts (a trailing space or \r added by an editor does not make a labelled text new).
    /// </summary>
    public static string Key(string text) => text.Trim();

    /// <summary>The indexes of <paramref name="pool"/> that may be suggested, in pool order: the first of each distinct text, none labelled, none blank.</summary>
    public static List<int> Eligible(IReadOnlyList<string> pool, IEnumerable<string>? labelled)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (labelled is not null)
            foreach (var text in labelled)
                if (text is not null) seen.Add(Key(text));
        var eligible = new List<int>();
        for (int i = 0; i < pool.Count; i++)
            if (!string.IsNullOrWhiteSpace(pool[i]) && seen.Add(Key(pool[i]))) eligible.Add(i);
        return eligible;
    }
}
