using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
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
        using var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Democratic", "Republican"]);
        using var classifier = created.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = window, Stride = window - 2 } });
        classifier.PredictBatch([texts[0]]); // warm-up

        var counter = new LongTextEncoder(classifier.Tokenizer, classifier.LongTextSettingsFor(null));
        int windows = texts.Sum(counter.CountInputs);
        // The baseline: as many rows as windows, each the first ~window tokens of its address (words enough, then truncated), one input each.
        var rows = texts.SelectMany(t => Enumerable.Repeat(string.Join(' ', t.Split(' ').Take(window)), counter.CountInputs(t))).ToList();
        using var plainClassifier = classifier.WithSettings(new PredictionSettings { LongText = new LongTextOptions { WindowTokens = window } });

        // Alternating rounds, best of each: on a shared machine the load drifts, and a fixed order would hand the drift to one side.
        double windowSeconds = double.MaxValue, plainSeconds = double.MaxValue, tokenizeSeconds = double.MaxValue;
        int rounds = args.Int("--rounds", 2);
        for (int round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            plainClassifier.PredictBatch(rows);
            plainSeconds = Math.Min(plainSeconds, clock.Elapsed.TotalSeconds);

            clock.Restart();
            classifier.PredictBatch(texts);
            windowSeconds = Math.Min(windowSeconds, clock.Elapsed.TotalSeconds);

            clock.Restart();
            foreach (var text in texts) classifier.Tokenizer.Tokenize(text);
            tokenizeSeconds = Math.Min(tokenizeSeconds, clock.Elapsed.TotalSeconds);
        }
        var plain = rows;

        result["documents"] = texts.Count;
        result["window"] = window;
        result["windows"] = windows;
        result["rounds"] = rounds;
        result["window_seconds"] = windowSeconds;
        result["tokenize_seconds"] = tokenizeSeconds;
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
