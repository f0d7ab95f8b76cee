using System.Globalization;
using System.Runtime.InteropServices;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>swap-memory</c>: what a model repository's swap leaves behind, without a server. Loads a saved classifier, predicts with it from
/// <c>--threads</c> thread-pool workers (as the server's batchers do), disposes it, and repeats <c>--loads</c> times; after each
/// disposal it reads the resident set, glibc's heap (in use and held by its arenas, <c>mallinfo2</c>), the .NET heap and
/// libtorch's live tensors, so a growth can be put on one of them.
/// </summary>
internal static class SwapMemory
{
    public static BenchResult Run(BenchArguments args)
    {
        int loads = args.Int("--loads", 12);
        int predictions = args.Int("--predictions", 256);
        int threads = args.Int("--threads", 4);
        bool trim = args.Option("--trim") != "false";
        InferenceEngine? engine = args.Option("--engine") is { } name ? Enum.Parse<InferenceEngine>(name, ignoreCase: true) : null;
        var result = new BenchResult();
        Machine.Describe(result);
        string folder = Path.Combine(Path.GetTempPath(), $"typedbert-swap-memory-{Environment.ProcessId}");
        try
        {
            using (var pretrained = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"])) pretrained.Save(folder);
            var texts = Enumerable.Range(0, predictions).Select(i => $"review {i}: an uneven but often affecting film, with a fine cast and {i % 17} surprises.").ToArray();
            var rows = new List<Sample>();
            Console.Error.WriteLine("load  rss_mib  heap_in_use_mib  heap_held_mib  mmapped_mib  gc_heap_mib  gc_committed_mib  live_tensors");
            for (int load = 1; load <= loads; load++)
            {
                using (var classifier = TextClassifier.Load(folder, new PredictionSettings { BatchSize = 32, Engine = engine }))
                {
                    classifier.PredictBatch(["smoke test"]);
                    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, worker =>
                    {
                        for (int start = worker * 32; start < texts.Length; start += threads * 32)
                            classifier.PredictBatch(texts[start..Math.Min(texts.Length, start + 32)]);
                    });
                }
                if (trim) MallocTrim(0);
                var sample = Sample.Take();
                rows.Add(sample);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{load,4}  {sample.Rss,7:0}  {sample.HeapInUse,15:0}  {sample.HeapHeld,13:0}  {sample.Mmapped,11:0}  {sample.GcHeap,11:0}  {sample.GcCommitted,16:0}  {sample.LiveTensors,12}"));
            }
            result["loads"] = loads;
            result["engine"] = engine?.ToString() ?? "automatic";
            result["threads"] = threads;
            result["malloc_trim"] = trim;
            var first = rows[0];
            var last = rows[^1];
            result["rss_after_first_mib"] = first.Rss;
            result["rss_after_last_mib"] = last.Rss;
            result["rss_growth_per_load_mib"] = (last.Rss - first.Rss) / Math.Max(1, loads - 1);
            result["native_in_use_growth_per_load_mib"] = (last.HeapInUse + last.Mmapped - first.HeapInUse - first.Mmapped) / Math.Max(1, loads - 1);
            result["native_held_growth_per_load_mib"] = (last.HeapHeld + last.Mmapped - first.HeapHeld - first.Mmapped) / Math.Max(1, loads - 1);
            result["gc_heap_growth_per_load_mib"] = (last.GcHeap - first.GcHeap) / Math.Max(1, loads - 1);
            result["live_tensors_first_last"] = $"{first.LiveTensors} {last.LiveTensors}";
            result.AtMost("rss_growth_fraction", last.Rss / first.Rss - 1, 0.10, "resident memory after the last load against after the first (issue 31: within 10 % after 10 swaps)");
            return result;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    readonly record struct Sample(double Rss, double HeapInUse, double HeapHeld, double Mmapped, double GcHeap, double GcCommitted, long LiveTensors)
    {
        public static Sample Take()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var heap = MallInfo();
            var gc = GC.GetGCMemoryInfo();
            const double MiB = 1 << 20;
            return new Sample(Status("VmRSS") / 1024.0, heap.UordBlks / MiB, heap.Arena / MiB, heap.HBlkHd / MiB,
                gc.HeapSizeBytes / MiB, gc.TotalCommittedBytes / MiB, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        static double Status(string field) =>
            double.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    // DllImport, not LibraryImport: blittable signatures, and LibraryImport would need unsafe code in the whole project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 MallInfo();

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
#pragma warning restore SYSLIB1054
}
