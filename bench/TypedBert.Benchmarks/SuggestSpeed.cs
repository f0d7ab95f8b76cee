using System.Diagnostics;
using TypedBert.Suggestions;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>suggest-speed</c>: issue 32's target that suggesting 50 texts from a 20,000-text pool takes under 30 s on 2 cores. The model is
/// SST-2's zero-shot classifier (the descriptions label-efficiency uses), the pool the first N training sentences of a seeded shuffle; the
/// first round predicts the whole pool (the fastest engine, length-grouped batches: PredictBatch), the second reuses the cache.
/// </summary>
internal static class SuggestSpeed
{
    public static BenchResult Run(BenchArguments args)
    {
        int poolSize = args.Int("--pool", 20000), count = args.Int("--count", 50);
        string strategyName = args.Option("--strategy") ?? "diverse";
        var strategy = Enum.Parse<SuggestionStrategy>(strategyName.Replace("-", "", StringComparison.Ordinal), ignoreCase: true);
        var data = LabelEfficiencyData.Sst2Data();
        var all = Sst2.Read("train")!.Select(r => r.Sentence).ToArray();
        new Random(7).Shuffle(all);
        var pool = all.Take(poolSize).ToList();
        var recipes = new LabelEfficiencyRecipes(64, true, "finetune-descriptions", new StudentRecipe(), 20, new StudentRecipe { HardTargets = true, KeepFraction = 0.5, StudentFromDescriptions = false });
        var result = new BenchResult();
        Machine.Describe(result);
        using var model = recipes.ZeroShot(data);
        result["engine"] = $"{model.Engine}: {model.EngineReason}";
        result["setup"] = $"sst2 zero-shot model (docs/zero-shot/sst2-multi.tsv), {pool.Count} SST-2 training sentences, {count} suggestions, {strategy}";
        var options = new SuggestionOptions { Strategy = strategy };
        // CPU seconds beside wall seconds: on a machine shared with other work the wall clock counts their time too, while the
        // process's CPU time is what the rounds cost (with one thread, the wall time they would take on an idle core).
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var first = model.Suggest(pool, count, options);
        double firstSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double firstCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        cpu = process.TotalProcessorTime;
        clock.Restart();
        var second = model.Suggest(pool, count, options with { Labelled = first.Select(s => s.Text) });
        double secondSeconds = clock.Elapsed.TotalSeconds;
        process.Refresh();
        double secondCpu = (process.TotalProcessorTime - cpu).TotalSeconds;
        result["suggest_first_round_cpu_seconds"] = Math.Round(firstCpu, 2);
        result["suggest_second_round_cpu_seconds"] = Math.Round(secondCpu, 2);
        result["threads"] = TorchSharp.torch.get_num_threads();
        result["suggest_first_round_seconds"] = Math.Round(firstSeconds, 2);
        result["suggest_second_round_seconds"] = Math.Round(secondSeconds, 2);
        result["suggest_pool_texts_per_second"] = Math.Round(pool.Count / firstSeconds);
        result["suggest_second_round_overlap"] = second.Select(s => s.Index).Intersect(first.Select(s => s.Index)).Count();
        result.AtMost("suggest_first_round_seconds", firstSeconds, 30, "the whole pool predicted once (cached for later rounds)");
        return result;
    }
}
