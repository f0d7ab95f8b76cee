using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>fewshot</c>: K labelled sentences per label drawn from sst2/train.tsv (at least 5 words, seeded), trained two ways from the
/// embedded MiniLM: SetFit-style few-shot training (<see cref="FewShotTrainer"/> with its default settings, which are SetFit's
/// published ones) and standard fine-tuning (the recipe of the issue: 10 epochs, batch 8, learning rate 5e-5, 10 % warm-up);
/// each scored on sst2/dev.tsv and sst2/test.tsv. Nothing is selected on either split: both recipes are fixed in advance.
/// </summary>
internal static class FewShot
{
    public static BenchResult Run(BenchArguments args)
    {
        var sizes = (args.Option("--per-label") ?? "8,16,64").Split(',').Select(int.Parse).ToArray();
        var seeds = (args.Option("--seeds") ?? "1,2").Split(',').Select(int.Parse).ToArray();
        bool baseline = args.Option("--baseline") != "false";
        int maxLength = args.Int("--length", 64);
        var defaults = new FewShotOptions();
        var fewShotOptions = defaults with
        {
            MaxLength = maxLength,
            PairIterations = args.Int("--pair-iterations", defaults.PairIterations),
            BodyEpochs = args.Option("--body-epochs") is { } bodyEpochs ? int.Parse(bodyEpochs, System.Globalization.CultureInfo.InvariantCulture) : defaults.BodyEpochs,
            BodyLearningRate = args.Option("--body-learning-rate") is { } lr ? double.Parse(lr, System.Globalization.CultureInfo.InvariantCulture) : defaults.BodyLearningRate,
            HeadSteps = args.Int("--head-steps", defaults.HeadSteps),
            BFloat16MixedPrecision = args.Option("--bf16") == "true",
            BodyMaxGradNorm = args.Option("--clip") is { } clip ? double.Parse(clip, System.Globalization.CultureInfo.InvariantCulture) : defaults.BodyMaxGradNorm,
            HeadC = args.Option("--head-c") is { } c ? double.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : defaults.HeadC,
            NormalizeHeadFeatures = args.Option("--normalize") is { } normalize ? normalize == "true" : defaults.NormalizeHeadFeatures,
            Head = args.Option("--head") switch
            {
                null => defaults.Head,
                "logistic" => HeadFit.LogisticRegression,
                "gradient" => HeadFit.GradientDescent,
                var other => throw new ArgumentException($"--head takes logistic or gradient, not \"{other}\""),
            },
            Pairs = args.Option("--pairs") switch
            {
                null or "sampled" => PairSampling.Sampled,
                "all-in-batch" => PairSampling.AllInBatch,
                var other => throw new ArgumentException($"--pairs takes sampled or all-in-batch, not \"{other}\""),
            },
        };
        string dataset = args.Option("--dataset") ?? "sst2";
        // --test-rows all (the default) scores the whole test split; none skips it, for choices made on dev alone.
        int testRows = args.Option("--test-rows") switch { "all" => int.MaxValue, "none" => 0, _ => args.Int("--test-rows", int.MaxValue) };
        bool headAblation = args.Option("--head-ablation") == "true";
        List<(string Text, int Label)> pool, devRows, testSplit;
        string[] labels;
        if (dataset == "agnews")
        {
            // AG News has no dev split: a seeded slice of train.tsv (--dev-slice, 1,000 rows unless said) serves as one, and the
            // samples come from the rest.
            int devSlice = args.Int("--dev-slice", 1000);
            labels = ["World", "Sports", "Business", "Sci/Tech"];
            Sst2.Require("train"); // the same shared-data folder holds agnews; this names the variable to set when it is missing
            string folder = Path.Combine(Sst2.Folder!, "..", "agnews");
            var train = ReadLabelled(Path.Combine(folder, "train.tsv"), labels);
            var order = Enumerable.Range(0, train.Count).ToList();
            new Random(0).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
            devRows = [.. order.Take(devSlice).Select(i => train[i])];
            pool = [.. order.Skip(devSlice).Select(i => train[i])];
            testSplit = ReadLabelled(Path.Combine(folder, "test.tsv"), labels);
        }
        else
        {
            labels = ["negative", "positive"];
            pool = [.. Sst2.Read(Sst2.Require("train"))!.Where(r => r.Sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 5)];
            devRows = Sst2.Read("dev")!;
            testSplit = Sst2.Read("test")!;
        }
        // --dev-rows: a fixed, label-balanced subset of the dev split, where scoring all of sst2's 6,735 dev rows would take most of a
        // cell's time (dev is reported, never used to choose anything here).
        int devRowsAsked = args.Int("--dev-rows", int.MaxValue);
        int devPerLabel = devRowsAsked == int.MaxValue ? int.MaxValue : Math.Max(1, devRowsAsked / labels.Length);
        var dev = devRows.GroupBy(r => r.Label).SelectMany(g => g.Take(devPerLabel)).Select(r => TrainingExample.ForLabel(r.Text, r.Label)).ToList();
        // A fixed, label-balanced subset when --test-rows asks for one (AG News's 7,600 rows take minutes per model on 2 cores).
        int perLabel = testRows == int.MaxValue ? int.MaxValue : Math.Max(1, testRows / labels.Length);
        var test = testRows == 0 ? [] : testSplit.GroupBy(r => r.Label).SelectMany(g => g.Take(perLabel)).Select(r => TrainingExample.ForLabel(r.Text, r.Label)).ToList();
        var result = new BenchResult();
        Machine.Describe(result);
        result["dataset"] = dataset;
        result["setup"] = $"minilm-l6-uncased (Mean pooling), max length {maxLength}; few-shot: {fewShotOptions with { Seed = 0 }}; fine-tuning: 10 epochs, batch 8, lr 5e-5, 10 % warm-up";
        result["dev_rows"] = dev.Count;
        result["test_rows"] = test.Count;
        foreach (int k in sizes)
        {
            var fewShot = new List<double>();
            var fewShotDev = new List<double>();
            var fineTuned = new List<double>();
            foreach (int seed in seeds)
            {
                var random = new Random(seed);
                var sample = Enumerable.Range(0, labels.Length).SelectMany(label => pool.Where(r => r.Label == label).OrderBy(_ => random.Next()).Take(k))
                    .Select(r => TrainingExample.ForLabel(r.Text, r.Label)).ToList();
                string key = $"k{k}_seed{seed}";

                using (var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels))
                using (var classifier = created.WithSettings(new PredictionSettings { Precision = InferencePrecision.Float32 }))
                {
                    var initialHead = headAblation ? HeadAblation.InitialHead(classifier) : null;
                    var clock = Stopwatch.StartNew();
                    var run = new FewShotTrainer(classifier, fewShotOptions with { Seed = seed }).Train(sample);
                    result[$"fewshot_{key}_seconds"] = clock.Elapsed.TotalSeconds;
                    result[$"fewshot_{key}_pairs"] = run.Pairs;
                    double devScore = Accuracy(classifier, dev, maxLength);
                    result[$"fewshot_{key}_dev_accuracy"] = devScore;
                    fewShotDev.Add(devScore);
                    if (headAblation) HeadAblation.Run(classifier, fewShotOptions with { Seed = seed }, sample, dev, maxLength, initialHead!, result, $"fewshot_{key}");
                    foreach (var tensor in initialHead?.Values.AsEnumerable() ?? []) tensor.Dispose();
                    double score = test.Count == 0 ? double.NaN : Accuracy(classifier, test, maxLength);
                    result[$"fewshot_{key}_test_accuracy"] = score;
                    fewShot.Add(score);
                    Progress(result, $"fewshot_{key}");
                }
                if (!baseline) continue;
                using (var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels))
                using (var classifier = created.WithSettings(new PredictionSettings { Precision = InferencePrecision.Float32 }))
                {
                    var clock = Stopwatch.StartNew();
                    new Trainer(classifier, new TrainingOptions
                    {
                        Epochs = 10, BatchSize = 8, LearningRate = 5e-5, WarmupRatio = 0.1, MaxLength = maxLength, Seed = seed, LoadBestModelAtEnd = false,
                    }).Train(sample);
                    result[$"finetune_{key}_seconds"] = clock.Elapsed.TotalSeconds;
                    result[$"finetune_{key}_dev_accuracy"] = Accuracy(classifier, dev, maxLength);
                    double score = Accuracy(classifier, test, maxLength);
                    result[$"finetune_{key}_test_accuracy"] = score;
                    fineTuned.Add(score);
                    Progress(result, $"finetune_{key}");
                }
            }
            result[$"fewshot_k{k}_mean_dev_accuracy"] = fewShotDev.Average();
            result[$"fewshot_k{k}_std_dev_accuracy"] = StandardDeviation(fewShotDev);
            result[$"fewshot_k{k}_mean_test_accuracy"] = fewShot.Average();
            result[$"fewshot_k{k}_std_test_accuracy"] = StandardDeviation(fewShot);
            result[$"{dataset}_{k}_mean"] = fewShot.Average();
            if (fineTuned.Count > 0)
            {
                result[$"finetune_k{k}_mean_test_accuracy"] = fineTuned.Average();
                result[$"finetune_k{k}_std_test_accuracy"] = StandardDeviation(fineTuned);
                result[$"{dataset}_{k}_gain_over_finetune"] = fewShot.Average() - fineTuned.Average();
            }
        }
        return result;
    }

    /// <summary>One line per trained model on stderr, so that a long grid shows where it is and what it found so far.</summary>
    static void Progress(BenchResult result, string prefix) =>
        Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{prefix}: {result[prefix + "_seconds"]:0.0} s, dev {result[prefix + "_dev_accuracy"]:0.00} %, test {result[prefix + "_test_accuracy"]:0.00} %"));

    static double StandardDeviation(List<double> xs) =>
        xs.Count < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / (xs.Count - 1));

    /// <summary>Rows "text&lt;TAB&gt;label name" with a header, labels mapped to their ids in <paramref name="labels"/>.</summary>
    internal static List<(string Text, int Label)> ReadLabelled(string path, string[] labels) =>
        [.. File.ReadLines(path).Skip(1).Select(line =>
        {
            int tab = line.LastIndexOf('\t');
            int id = Array.IndexOf(labels, line[(tab + 1)..].TrimEnd('\r'));
            return id < 0 ? throw new InvalidDataException($"{path}: unknown label in \"{line[(tab + 1)..]}\"") : (line[..tab], id);
        })];

    static double Accuracy(TextClassifier classifier, List<TrainingExample> examples, int maxLength) =>
        Evaluation.Run(classifier, examples, maxLength).Classification!.Accuracy * 100;
}
