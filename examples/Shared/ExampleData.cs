using TypedBert.Classification;
using TypedBert.Data;

/// <summary>Data files for the examples: the ones shipped beside them, and the shared SST-2 / AG News sets when present.</summary>
internal static class ExampleData
{
    public static string Shipped(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "data", .. parts]);

    /// <summary>
    /// <c>$TYPEDBERT_SHARED_DATA</c>, or a <c>shared/data</c> folder above the working directory or the example; null when absent.
    /// </summary>
    public static string? SharedData()
    {
        if (Environment.GetEnvironmentVariable("TYPEDBERT_SHARED_DATA") is { Length: > 0 } configured && Directory.Exists(configured)) return configured;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
                if (Directory.Exists(Path.Combine(folder.FullName, "shared", "data"))) return Path.Combine(folder.FullName, "shared", "data");
        return null;
    }

    public static List<TrainingExample> Read(string path, LabelSet labels, ProblemType problem, DataColumns? columns = null, int? take = null)
    {
        var rows = DataFile.Read(path, columns ?? new DataColumns());
        return TrainingExample.FromRows(take is int n ? rows.Take(n) : rows, labels, problem);
    }
}
