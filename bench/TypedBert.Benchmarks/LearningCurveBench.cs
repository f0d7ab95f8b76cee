using System.Globalization;
using TypedBert.Suggestions;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>learning-curve</c>: issue 32's proof that choosing what to label pays. For each data set, strategy and seed a
/// <see cref="LearningCurveSimulation"/> reveals the training labels only of the rows the strategy picks, from the zero-shot model on,
/// and scores a model at each budget on dev and test. Keys: <c>{data}_{strategy}_at_{budget}</c> (test, mean over seeds; <c>_dev</c> beside
/// it), <c>{data}_best_at_{budget}</c> (the test accuracy of the strategy best on dev at that budget, so test never chooses), and the
/// zero-shot start <c>{data}_zeroshot</c>. Writes a PNG of test accuracy against labels per strategy and data set.
/// </summary>
internal static class LearningCurveBench
{
    static readonly Dictionary<string, SuggestionStrategy> Strategies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["random"] = SuggestionStrategy.Random, ["least-confidence"] = SuggestionStrategy.LeastConfidence, ["margin"] = SuggestionStrategy.Margin,
        ["entropy"] = SuggestionStrategy.Entropy, ["diverse"] = SuggestionStrategy.Diverse,
    };

    static readonly Dictionary<string, double> BestAt512Targets = new() { ["sst2"] = 87, ["agnews"] = 89 };

    public static BenchResult Run(BenchArguments args)
    {
        string pngFolder = args.Option("--png") ?? args.Option("--png-folder") ?? LabelEfficiencyData.RepositoryFolder("docs");
        if (args.Option("--merge") is { } parts) return Merge(parts.Split(','), pngFolder);
        var datasets = (args.Option("--dataset") ?? "sst2,agnews").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var strategies = (args.Option("--strategy") ?? "random,margin,diverse").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var s in strategies)
            if (!Strategies.ContainsKey(s)) throw new ArgumentException($"--strategy: unknown strategy \"{s}\"; use {string.Join(", ", Strategies.Keys)}");
        foreach (var d in datasets)
            if (d is not ("sst2" or "agnews")) throw new ArgumentException($"--dataset: unknown data set \"{d}\"; use sst2 or agnews");
        var budgets = (args.Option("--budgets") ?? "32,64,128,256,512").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture)).Order().ToArray();
        if (budgets.Length == 0 || budgets[0] < 2) throw new ArgumentException("--budgets: give ascending label counts of 2 or more, such as 32,64,128");
        int seeds = args.Int("--seeds", 3);
        int poolSize = args.Int("--pool", 5000);
        int maxLength = args.Int("--length", 64);
        bool bf16 = args.Option("--bf16") != "false";
        var method = new LearningCurveMethod(args.Int("--fewshot-below", 64), args.Option("--student") ?? "auto", args.Int("--student-pool", 5000));
        if (method.Student is not ("auto" or "always" or "never")) throw new ArgumentException($"--student takes auto, always or never, not \"{method.Student}\"");
        var recipes = new LabelEfficiencyRecipes(maxLength, bf16, "finetune-descriptions", new StudentRecipe(), 20, new StudentRecipe { HardTargets = true, KeepFraction = 0.5, StudentFromDescriptions = false });

        var result = new BenchResult();
        Machine.Describe(result);
        result["setup"] = $"minilm-l6-uncased, max length {maxLength}, bf16 training {bf16}; pool: {poolSize} training rows per seed (labels revealed only when picked); "
            + $"training: few-shot below {method.FewShotBelowPerLabel} rows per label, else fine-tuning from the descriptions' head; student on the unlabelled pool: {method.Student}; "
            + $"seeds 1..{seeds}; scored on dev (sst2: the 872 dev rows; agnews: the 2,000-row slice of train) and test (sst2 872, agnews 7,600); best = best strategy on dev";
        foreach (var name in datasets)
        {
            var data = name == "sst2" ? LabelEfficiencyData.Sst2Data() : LabelEfficiencyData.AgNewsData();
            var dev = name == "sst2" ? LabelEfficiencyData.Sst2Data(devRows: 872) : LabelEfficiencyData.AgNewsData(onDev: true);
            var simulation = new LearningCurveSimulation(data, dev, recipes, method, maxLength, poolSize);
            var zero = simulation.Run(null, budgets, 1, p => Log(name, "zero-shot", 1, p))[0];
            result[$"{name}_zeroshot"] = Round(zero.Test);
            result[$"{name}_zeroshot_dev"] = Round(zero.Dev);
            var test = new Dictionary<(string Strategy, int Budget), List<double>>();
            var devScores = new Dictionary<(string Strategy, int Budget), List<double>>();
            foreach (var strategy in strategies)
                for (int seed = 1; seed <= seeds; seed++)
                    foreach (var point in simulation.Run(Strategies[strategy], budgets, seed, p => Log(name, strategy, seed, p)))
                    {
                        Add(test, (strategy, point.Budget), point.Test);
                        Add(devScores, (strategy, point.Budget), point.Dev);
                        result[$"{name}_{strategy}_at_{point.Budget}_seed{seed}_method"] = point.Method;
                        result[$"{name}_{strategy}_at_{point.Budget}_seed{seed}_per_label"] = point.PerLabel;
                        result[$"{name}_{strategy}_seed{seed}_seconds"] = Math.Round(point.Seconds);
                    }
            Summarise(result, name, strategies, budgets, test, devScores, zero.Test, seeds, pngFolder);
        }
        return result;
    }

    /// <summary>The keys of one data set from its scores per (strategy, budget), each a list over seeds: means, best on dev, targets, the PNG.</summary>
    static void Summarise(BenchResult result, string name, string[] strategies, int[] budgets, Dictionary<(string Strategy, int Budget), List<double>> test,
        Dictionary<(string Strategy, int Budget), List<double>> devScores, double zeroShot, int seeds, string pngFolder)
    {
        foreach (var ((strategy, budget), scores) in test)
        {
            result[$"{name}_{strategy}_at_{budget}"] = Round(scores.Average());
            result[$"{name}_{strategy}_at_{budget}_dev"] = Round(devScores[(strategy, budget)].Average());
            result[$"{name}_{strategy}_at_{budget}_per_seed"] = scores.Select(Round).ToArray();
            result[$"{name}_{strategy}_at_{budget}_dev_per_seed"] = devScores[(strategy, budget)].Select(Round).ToArray();
        }
        foreach (int budget in budgets)
        {
            string best = BestOnDev(strategies, devScores, budget);
            double bestTest = test[(best, budget)].Average();
            result[$"{name}_best_at_{budget}"] = Round(bestTest);
            result[$"{name}_best_at_{budget}_strategy"] = best;
            if (strategies.Contains("random"))
                result.AtLeast($"{name}_best_at_{budget}", bestTest, test[("random", budget)].Average(), "the best strategy (chosen on dev) against random at the same budget");
        }
        if (strategies.Contains("random") && budgets.Contains(256) && budgets.Contains(512))
            result.AtLeast($"{name}_best_at_256", test[(BestOnDev(strategies, devScores, 256), 256)].Average(), test[("random", 512)].Average(), "half the labels for random's accuracy at 512");
        if (budgets.Contains(512))
            result.AtLeast($"{name}_best_at_512", test[(BestOnDev(strategies, devScores, 512), 512)].Average(), BestAt512Targets[name], "issue 32's target");
        string path = Path.Combine(pngFolder, $"learning-curve-{name}.png");
        LearningCurve.Write(path, $"{(name == "sst2" ? "SST-2" : "AG News")}: test accuracy against labels chosen by each strategy (means over {seeds} seed(s))", "test accuracy (%)",
            [.. strategies.Select(s => new LearningCurve.Line(s, [(0, zeroShot), .. budgets.Where(b => test.ContainsKey((s, b))).Select(b => (b, test[(s, b)].Average()))]))]);
        result[$"{name}_curve_png"] = Path.GetFileName(path);
    }

    /// <summary>
    /// <c>--merge a.json,b.json</c>: one report from runs that measured different strategies side by side (one process per strategy on a
    /// busy machine): the per-seed scores of each are read back and summarised as one run would (best on dev, targets, one PNG per data set).
    /// A file not ending in .json is read as a run's log (its stderr), so a run stopped early still counts with its finished budgets.
    /// Only the budgets every strategy reached are summarised.
    /// </summary>
    static BenchResult Merge(string[] files, string pngFolder)
    {
        var result = new BenchResult();
        var test = new Dictionary<string, Dictionary<(string Strategy, int Budget), List<double>>>();
        var dev = new Dictionary<string, Dictionary<(string Strategy, int Budget), List<double>>>();
        var zero = new Dictionary<string, double>();
        var pattern = new System.Text.RegularExpressions.Regex("^(sst2|agnews)_([a-z-]+)_at_([0-9]+)_(dev_)?per_seed$");
        int seeds = 0;
        var logLine = new System.Text.RegularExpressions.Regex(@"^(sst2|agnews) ([a-z-]+) seed ([0-9]+) at ([0-9]+): dev ([0-9.]+) %, test ([0-9.]+) %");
        void Put(Dictionary<string, Dictionary<(string Strategy, int Budget), List<double>>> table, string name, string strategy, int budget, double value)
        {
            if (!table.TryGetValue(name, out var scores)) table[name] = scores = [];
            if (!scores.TryGetValue((strategy, budget), out var list)) scores[(strategy, budget)] = list = [];
            list.Add(value);
            seeds = Math.Max(seeds, list.Count);
        }
        foreach (var file in files.Where(f => !f.EndsWith(".json", StringComparison.Ordinal)))
            foreach (var line in File.ReadLines(file)) // a run's log (stderr): its finished budgets, also of a run stopped before the end
                if (logLine.Match(line) is { Success: true } m)
                {
                    double Number(int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
                    if (m.Groups[2].Value == "zero-shot") zero[m.Groups[1].Value] = Number(6);
                    else
                    {
                        Put(test, m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), Number(6));
                        Put(dev, m.Groups[1].Value, m.Groups[2].Value, int.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture), Number(5));
                    }
                }
        foreach (var file in files.Where(f => f.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.EndsWith("_zeroshot", StringComparison.Ordinal)) zero[property.Name[..property.Name.IndexOf('_')]] = property.Value.GetDouble();
                if (pattern.Match(property.Name) is not { Success: true } match) continue;
                var table = match.Groups[4].Success ? dev : test;
                if (!table.TryGetValue(match.Groups[1].Value, out var scores)) table[match.Groups[1].Value] = scores = [];
                var values = property.Value.EnumerateArray().Select(v => v.GetDouble()).ToList();
                scores[(match.Groups[2].Value, int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture))] = values;
                seeds = Math.Max(seeds, values.Count);
            }
        }
        result["merged_from"] = files.Select(Path.GetFileName).ToArray();
        foreach (var (name, scores) in test)
        {
            var strategies = scores.Keys.Select(k => k.Strategy).Distinct().ToArray();
            var budgets = scores.Keys.Select(k => k.Budget).Distinct().Where(b => strategies.All(s => scores.ContainsKey((s, b)))).Order().ToArray();
            result[$"{name}_zeroshot"] = zero.GetValueOrDefault(name);
            Summarise(result, name, strategies, budgets, scores, dev[name], zero.GetValueOrDefault(name), seeds, pngFolder);
        }
        return result;
    }

    static string BestOnDev(string[] strategies, Dictionary<(string, int), List<double>> dev, int budget) =>
        strategies.OrderByDescending(s => dev[(s, budget)].Average()).First();

    static void Add(Dictionary<(string, int), List<double>> table, (string, int) key, double value)
    {
        if (!table.TryGetValue(key, out var list)) table[key] = list = [];
        list.Add(value);
    }

    static double Round(double value) => Math.Round(value, 2);

    static void Log(string data, string strategy, int seed, LearningCurveSimulation.Point p) =>
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{data} {strategy} seed {seed} at {p.Budget}: dev {p.Dev:0.00} %, test {p.Test:0.00} % ({p.Method}; per label {string.Join("/", p.PerLabel)}), {p.Seconds:0} s"));
}
