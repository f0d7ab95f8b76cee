using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>longtext</c>: windows/s of sliding-window prediction on sotu/test.tsv (every window of every address, windows of many addresses in
/// one forward pass) against plain batched prediction of as many rows of the same length (each row the start of an address, truncated
/// to the window). The windows' cost should be the forward passes alone: within 10 % of the plain rows.
/// </summary>
internal static class LongTextBench
{
    public static BenchResult Run(BenchArguments args)
    {
        int window = args.Int("--window", 128), documents = args.Int("--documents", 55);
        string folder = Environment.GetEnvironmentVariable("TYPEDBERT_DATA") ?? Path.Combine(FindRepositoryParent(), "shared", "data");
        string path = Path.Combine(folder, "sotu", "test.tsv");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found; set TYPEDBERT_DATA to the folder that holds sotu/", path);
        var texts = DataFile.Read(path, new DataColumns("text", "label")).Select(r => r.Text).Take(documents).ToList();
        var result = new BenchResult();
        Machine.Describe(result);
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Democratic", "Republican"]);
        classifier.LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = window, Stride = window - 2 };
        classifier.PredictBatch([texts[0]]); // warm-up

        var clock = Stopwatch.StartNew();
        var predictions = classifier.PredictBatch(texts);
        double windowSeconds = clock.Elapsed.TotalSeconds;
        int windows = predictions.Sum(p => p.Windows);

        // The baseline: as many rows as windows, each the first ~window tokens of its address (words enough, then truncated), one input each.
        var rows = texts.Zip(predictions, (t, p) => Enumerable.Repeat(string.Join(' ', t.Split(' ').Take(window)), p.Windows)).SelectMany(r => r).ToList();
        classifier.LongText = new LongTextOptions { WindowTokens = window };
        clock.Restart();
        var plain = classifier.PredictBatch(rows);
        double plainSeconds = clock.Elapsed.TotalSeconds;

        result["documents"] = texts.Count;
        result["window"] = window;
        result["windows"] = windows;
        result["window_seconds"] = windowSeconds;
        result["windows_per_s"] = windows / windowSeconds;
        result["plain_rows"] = plain.Count;
        result["plain_seconds"] = plainSeconds;
        result["plain_rows_per_s"] = plain.Count / plainSeconds;
        result["ratio"] = (windows / windowSeconds) / (plain.Count / plainSeconds);
        result.AtLeast("ratio", (windows / windowSeconds) / (plain.Count / plainSeconds), 0.9, "windows share forward passes as plain rows do");
        return result;
    }

    // The repository's parent, where ../shared/data sits beside the checkout.
    static string FindRepositoryParent()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TypedBert.sln"))) return dir.Parent?.FullName ?? dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
