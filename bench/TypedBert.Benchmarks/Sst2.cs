namespace TypedBert.Benchmarks;

/// <summary>The SST-2 files in the shared data (<c>$TYPEDBERT_SHARED_DATA</c>, else <c>../shared/data</c> beside the repository).</summary>
internal static class Sst2
{
    public static string? Folder
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("TYPEDBERT_SHARED_DATA");
            string root = !string.IsNullOrEmpty(configured) ? configured : Path.Combine(RepositoryRoot(), "..", "shared", "data");
            string folder = Path.GetFullPath(Path.Combine(root, "sst2"));
            return Directory.Exists(folder) ? folder : null;
        }
    }

    /// <summary>The (sentence, label) rows of sst2/NAME.tsv, or null when the shared data is absent.</summary>
    public static List<(string Sentence, int Label)>? Read(string name)
    {
        if (Folder is not string folder) return null;
        string path = Path.Combine(folder, name + ".tsv");
        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext() || lines.Current.TrimEnd('\r') != "sentence\tlabel")
            throw new InvalidDataException($"{path}: line 1 must be the header \"sentence<TAB>label\"");
        var rows = new List<(string, int)>();
        for (int line = 2; lines.MoveNext(); line++)
        {
            string text = lines.Current.TrimEnd('\r');
            int tab = text.LastIndexOf('\t');
            if (tab < 0 || !int.TryParse(text.AsSpan(tab + 1), out int label) || label is not (0 or 1))
                throw new InvalidDataException($"{path}:{line}: expected a sentence, a tab and a label 0 or 1");
            rows.Add((text[..tab], label));
        }
        return rows;
    }

    public static string Require(string name) => Folder is null
        ? throw new InvalidOperationException("this benchmark needs sst2 from the shared data: set TYPEDBERT_SHARED_DATA or put it at ../shared/data")
        : name;

    static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TypedBert.sln"))) return folder.FullName;
        return Directory.GetCurrentDirectory();
    }
}
