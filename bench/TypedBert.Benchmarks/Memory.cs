using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>memory</c>: resident memory (VmRSS) after 1,000 and after 10,000 single-text predictions, and the peak (VmHWM), read from
/// /proc/self/status after a full garbage collection, so that a managed heap waiting for collection does not pass for a leak.
/// </summary>
internal static class Memory
{
    public static BenchResult Run(BenchArguments args)
    {
        int total = args.Int("--predictions", 10_000);
        var result = new BenchResult();
        Machine.Describe(result);
        var texts = Sst2.Read("test")?.Select(r => r.Sentence).ToList()
            ?? [.. Enumerable.Range(0, 1000).Select(i => $"review {i}: an uneven but often affecting film , with a fine cast .")];
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        result["rss_after_load_mb"] = Read("VmRSS");
        int done = 0;
        void PredictUntil(int count)
        {
            for (; done < count; done++) classifier.Predict(texts[done % texts.Count]);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        PredictUntil(Math.Min(1000, total));
        double after1000 = Read("VmRSS");
        PredictUntil(total);
        double afterAll = Read("VmRSS");
        result["predictions"] = total;
        result["rss_after_1000_mb"] = after1000;
        result[$"rss_after_{total}_mb"] = afterAll;
        result["peak_rss_mb"] = Read("VmHWM");
        result["growth_fraction"] = afterAll / after1000 - 1;
        result.AtMost("growth_fraction", afterAll / after1000 - 1, 0.05, "resident memory kept growing between 1,000 and the last prediction");
        return result;
    }

    /// <summary>A field of /proc/self/status in MB.</summary>
    static double Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"/proc/self/status has no {field} line (this benchmark needs Linux)");
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
    }
}
