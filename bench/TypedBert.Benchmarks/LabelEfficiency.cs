using System.Diagnostics;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Distillation;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>label-efficiency</c>: issue 26's keys, accuracy from few or no labels, each computed by running the library's code (zero-shot from
/// descriptions, few-shot, fine-tuning, self-training and distillation on an unlabelled pool of 5,000 training texts whose labels are never
/// read), every test split read once per configuration and seed; the mean over seeds is the key. Keys too expensive for a run are left out
/// unless named with <c>--keys</c>, and reported under <c>not_measured</c>. Writes a learning-curve PNG per data set.
/// </summary>
internal static class LabelEfficiency
{
    /// <summary>Every key, in report order; the expensive ones run only when <c>--keys</c> names them.</summary>
    static readonly string[] AllKeys =
    [
        "agnews_zeroshot", "sst2_zeroshot", "agnews_zeroshot_unlabeled", "sst2_zeroshot_unlabeled", "agnews_8_fewshot", "agnews_8_finetune",
        "agnews_8_unlabeled", "sst2_16_fewshot", "sst2_16_finetune", "sst2_16_unlabeled", "sst2_100_finetune", "sst2_100_unlabeled",
        "sst2_student3_accuracy", "sst2_student3_teacher_accuracy", "sst2_student3_speedup", "sst2_ensemble_student",
    ];

    static readonly Dictionary<string, string> Expensive = new()
    {
        ["sst2_student3_accuracy"] = "needs the full-data SST-2 teacher (60,614 rows, about an hour on 2 cores with 1 thread) and a student trained 3 epochs over the training sentences",
        ["sst2_student3_teacher_accuracy"] = "the full-data SST-2 teacher of sst2_student3_accuracy",
        ["sst2_student3_speedup"] = "measured on the student of sst2_student3_accuracy",
        ["sst2_ensemble_student"] = "needs several full-data SST-2 teachers (an hour each here; --ensemble-teachers a,b takes trained folders) and a student over the training sentences",
    };

    static readonly Dictionary<string, double> Targets = new()
    {
        ["agnews_zeroshot"] = 80, ["sst2_zeroshot"] = 76, ["agnews_zeroshot_unlabeled"] = 86, ["sst2_zeroshot_unlabeled"] = 82, ["agnews_8_fewshot"] = 83.1,
        ["agnews_8_unlabeled"] = 86, ["sst2_16_unlabeled"] = 80, ["sst2_100_unlabeled"] = 86, ["sst2_student3_speedup"] = 1.8, ["sst2_ensemble_student"] = 90.5,
    };

    public static BenchResult Run(BenchArguments args)
    {
        string pngFolder = args.Option("--png-folder") ?? LabelEfficiencyData.RepositoryFolder("docs");
        if (args.Option("--merge") is { } parts) return Merge(parts.Split(','), pngFolder);
        int seedCount = args.Int("--seeds", 5);
        var keySeeds = (args.Option("--key-seeds") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture));
        var asked = args.Option("--keys") is { } keys ? keys.Split(',', StringSplitOptions.TrimEntries) : [.. AllKeys.Where(k => !Expensive.ContainsKey(k))];
        foreach (var key in asked.Concat(keySeeds.Keys))
            if (!AllKeys.Contains(key)) throw new ArgumentException($"--keys: unknown key \"{key}\"; the keys are {string.Join(", ", AllKeys)}");
        int poolSize = args.Int("--pool", 5000);
        int maxLength = args.Int("--length", 64);
        bool bf16 = args.Option("--bf16") != "false";
        var student = new StudentRecipe();
        student = student with
        {
            Temperature = Double(args, "--temperature", student.Temperature), Alpha = Double(args, "--alpha", student.Alpha),
            MinConfidence = Double(args, "--min-confidence", student.MinConfidence), Balance = args.Option("--balance") is { } b ? b == "true" : student.Balance,
            Rounds = args.Int("--rounds", student.Rounds), Epochs = args.Int("--student-epochs", student.Epochs),
            LearningRate = Double(args, "--student-lr", student.LearningRate),
            StudentFromDescriptions = args.Option("--student-descriptions") is { } d ? d == "true" : student.StudentFromDescriptions,
            KeepFraction = Double(args, "--keep-fraction", student.KeepFraction),
            HardTargets = args.Option("--hard") is { } h ? h == "true" : student.HardTargets,
            TeacherWithDescriptions = args.Option("--teacher-with-descriptions") is { } w ? w == "true" : student.TeacherWithDescriptions,
        };
        string teacherMethod = args.Option("--teacher") ?? "finetune-descriptions";
        // A zero-shot teacher's student: hard targets on the most confident half per label unless asked otherwise (won on both dev sets,
        // docs/results.md), from a new head (a student from the descriptions' head would be its teacher's copy).
        var labelFreeStudent = student with
        {
            HardTargets = args.Option("--hard") is { } hard ? hard == "true" : true, KeepFraction = Double(args, "--keep-fraction", 0.5), StudentFromDescriptions = false,
        };
        var recipes = new LabelEfficiencyRecipes(maxLength, bf16, teacherMethod, student, Double(args, "--zeroshot-teacher-scale", 20), labelFreeStudent);
        // --on dev scores SST-2's dev split (--dev-rows of it, seeded) and AG News's 2,000-row slice of train instead of test: for choices.
        bool onDev = args.Option("--on") == "dev";
        int devRows = args.Int("--dev-rows", 2000);

        var result = new BenchResult();
        Machine.Describe(result);
        result["setup"] = $"minilm-l6-uncased, max length {maxLength} (zero-shot label vectors: 128), bf16 training {bf16}; pool: {poolSize} training texts per seed, labels never read; "
            + $"seeds 1..{seedCount} unless --key-seeds says; SST-2 labelled rows from training rows of at least 5 words; AG News rows from the 8,000 beside a 2,000-row dev slice; "
            + $"teacher of labelled rows: {teacherMethod}; student: {student}; zero-shot teacher's student: {labelFreeStudent}; scored on " + (onDev ? $"DEV (sst2: {devRows} dev rows; agnews: the dev slice)" : "test (sst2 872 rows, agnews 7,600)");
        var sst2 = new Lazy<LabelEfficiencyData>(() => LabelEfficiencyData.Sst2Data(onDev ? devRows : null));
        var agnews = new Lazy<LabelEfficiencyData>(() => LabelEfficiencyData.AgNewsData(onDev));
        if (args.Option("--write-draws") is { } folder) return WriteDraws(folder, sst2.Value, agnews.Value, seedCount, poolSize);
        var measured = new Dictionary<string, double>();
        var teachers = new Dictionary<string, double>();
        foreach (var key in AllKeys.Where(asked.Contains))
        {
            if (key == "sst2_ensemble_student")
            {
                LabelEfficiencyEnsemble.Run(args, sst2.Value, maxLength, bf16, result, measured);
                continue;
            }
            if (key.StartsWith("sst2_student3_", StringComparison.Ordinal))
            {
                if (!measured.ContainsKey("sst2_student3_accuracy")) StudentOfThreeLayers(args, sst2.Value, recipes, maxLength, bf16, result, measured);
                continue;
            }
            var data = key.StartsWith("sst2", StringComparison.Ordinal) ? sst2.Value : agnews.Value;
            int seeds = keySeeds.GetValueOrDefault(key, key.EndsWith("_zeroshot", StringComparison.Ordinal) ? 1 : seedCount); // zero-shot has no seed
            var scores = new List<double>();
            var teacherScores = new List<double>();
            var perRound = new List<double[]>();
            var clock = Stopwatch.StartNew();
            for (int seed = 1; seed <= seeds; seed++)
            {
                var (score, teacher) = Measure(key, data, recipes, seed, poolSize, maxLength, onDev ? perRound : null);
                scores.Add(score);
                if (teacher is double t) teacherScores.Add(t);
                string teacherText = teacher is double tt ? string.Create(CultureInfo.InvariantCulture, $" (teacher {tt:0.00} %)") : "";
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} seed {seed}: test {score:0.00} %{teacherText}, {clock.Elapsed.TotalSeconds:0} s so far"));
            }
            measured[key] = scores.Average();
            result[key] = scores.Average();
            result[key + "_sd"] = StandardDeviation(scores);
            result[key + "_per_seed"] = scores.Select(s => Math.Round(s, 2)).ToArray();
            result[key + "_seconds"] = clock.Elapsed.TotalSeconds;
            if (perRound.Count > 0) result[key + "_per_round_per_seed"] = perRound.Select(r => r.Select(a => Math.Round(a, 2)).ToArray()).ToArray();
            if (teacherScores.Count > 0)
            {
                teachers[key] = teacherScores.Average();
                result[key + "_teacher"] = teacherScores.Average();
                result[key + "_teacher_per_seed"] = teacherScores.Select(s => Math.Round(s, 2)).ToArray();
            }
            if (Targets.TryGetValue(key, out double target)) result.AtLeast(key, scores.Average(), target, Bound(key));
        }
        Finish(result, measured, pngFolder, onDev);
        return result;
    }

    /// <summary>
    /// <c>--write-draws FOLDER</c>: each seed's labelled rows (16 and 100 per label for SST-2, 8 for AG News) and pool as TSV files, so that
    /// the CLI (<c>train --unlabeled</c>, <c>distill</c>) runs on exactly the bench's data.
    /// </summary>
    static BenchResult WriteDraws(string folder, LabelEfficiencyData sst2, LabelEfficiencyData agnews, int seeds, int poolSize)
    {
        Directory.CreateDirectory(folder);
        var result = new BenchResult();
        foreach (var (data, perLabel) in new[] { (sst2, 16), (sst2, 100), (sst2, 0), (agnews, 8), (agnews, 0) })
            for (int seed = 1; seed <= seeds; seed++)
            {
                var (labelled, pool) = data.Draw(seed, perLabel, poolSize);
                string stem = Path.Combine(folder, $"{data.Name}-{perLabel}-seed{seed}");
                if (perLabel > 0)
                    File.WriteAllLines(stem + ".tsv", [$"{data.TextColumn}\tlabel", .. labelled.Select(e => $"{e.Text}\t{data.Labels[e.LabelId]}")]);
                File.WriteAllLines(stem + "-pool.tsv", [data.TextColumn, .. pool]);
                result[Path.GetFileName(stem)] = $"{labelled.Count} labelled rows, {pool.Count} pool texts";
            }
        return result;
    }

    /// <summary>Lists the keys not measured and draws the learning curves of what was.</summary>
    static void Finish(BenchResult result, Dictionary<string, double> measured, string pngFolder, bool onDev)
    {
        var notMeasured = AllKeys.Where(k => !measured.ContainsKey(k)).ToDictionary(k => k, k => Expensive.GetValueOrDefault(k, "not named in --keys"));
        if (notMeasured.Count > 0) result["not_measured"] = notMeasured;
        foreach (var data in new[] { ("sst2", "SST-2", 2), ("agnews", "AG News", 4) })
        {
            var lines = Curve(data.Item1, data.Item3, measured);
            if (lines.All(l => l.Points.Count == 0)) continue;
            string path = Path.Combine(pngFolder, $"label-efficiency-{data.Item1}.png");
            string split = onDev ? "dev" : "test";
            LearningCurve.Write(path, $"{data.Item2}: {split} accuracy against labelled examples (minilm-l6-uncased, means over seeds)", $"{split} accuracy (%)", lines);
            result[$"{data.Item1}_curve_png"] = Path.GetFileName(path);
        }
    }

    /// <summary>
    /// <c>--merge a.json,b.json</c>: one report from runs of this bench that measured different keys (run side by side where one process
    /// would take too long): their figures as they are, the setups of all, and the learning curves of the union.
    /// </summary>
    static BenchResult Merge(string[] files, string pngFolder)
    {
        var result = new BenchResult();
        var measured = new Dictionary<string, double>();
        var setups = new List<string>();
        bool onDev = false;
        foreach (var file in files)
        {
            using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(file));
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "not_measured" || property.Name.EndsWith("_curve_png", StringComparison.Ordinal)) continue;
                if (property.Name == "setup")
                {
                    setups.Add(property.Value.GetString()!);
                    onDev |= property.Value.GetString()!.Contains("scored on DEV", StringComparison.Ordinal);
                    continue;
                }
                if (property.Name is "cpu" or "cores" or "threads" or "cpu_has_bf16_matmul" or "date" && files[0] != file) continue;
                result[property.Name] = property.Value.Clone();
                if (AllKeys.Contains(property.Name)) measured[property.Name] = property.Value.GetDouble();
            }
        }
        result["setup"] = string.Join(" | ", setups.Distinct());
        result["merged_from"] = files.Select(Path.GetFileName).ToArray();
        Finish(result, measured, pngFolder, onDev);
        return result;
    }

    /// <summary>
    /// One key for one seed: its test accuracy (%) and, for a key with a teacher, the teacher's. With <paramref name="perRound"/> (only
    /// <c>--on dev</c>, so that test is never read per round) and more than one round, each round's student is scored too (the accuracy
    /// of the trainer's evaluation after the round's last epoch), one array per seed.
    /// </summary>
    static (double Score, double? Teacher) Measure(string key, LabelEfficiencyData data, LabelEfficiencyRecipes recipes, int seed, int poolSize, int maxLength,
        List<double[]>? perRound = null)
    {
        string method = key[(key.LastIndexOf('_') + 1)..];
        int perLabel = int.TryParse(key.Split('_')[1], CultureInfo.InvariantCulture, out int k) ? k : 0;
        var (labelled, pool) = data.Draw(seed, perLabel, poolSize);
        switch (method)
        {
            case "zeroshot":
            {
                using var model = recipes.ZeroShot(data);
                return (Accuracy(model, data.Test, 128), null);
            }
            case "fewshot":
            {
                using var model = recipes.FewShot(data, labelled, seed);
                return (Accuracy(model, data.Test, maxLength), null);
            }
            case "finetune":
            {
                using var model = recipes.FineTune(data, labelled, seed, fromDescriptions: false);
                return (Accuracy(model, data.Test, maxLength), null);
            }
            case "unlabeled":
            {
                using var teacher = perLabel == 0 ? recipes.ZeroShotTeacher(data) : recipes.Teacher(data, labelled, seed);
                double teacherScore = Accuracy(teacher, data.Test, perLabel == 0 ? 128 : maxLength);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} seed {seed}: teacher {teacherScore:0.00} %"));
                using var teacherAtLength = teacher.WithSettings(teacher.Settings with { MaxLength = maxLength });
                // A zero-shot teacher is the base body with the descriptions' head: a student started there would be its copy and learn
                // nothing from its soft labels (docs/results.md), so that student starts with a new head.
                var recipe = perLabel == 0 ? recipes.LabelFreeStudentRecipe : recipes.StudentRecipe;
                var rounds = new List<DistillationRound>();
                bool scoreRounds = perRound is not null && recipe.Rounds > 1;
                using var descriptions = perLabel > 0 && recipe.TeacherWithDescriptions ? recipes.ZeroShotTeacher(data) : null;
                using var descriptionsAtLength = descriptions?.WithSettings(descriptions.Settings with { MaxLength = maxLength });
                if (descriptionsAtLength is not null)
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} seed {seed}: zero-shot beside the teacher {Accuracy(descriptions!, data.Test, 128):0.00} %"));
                IReadOnlyList<TextClassifier> teachers = descriptionsAtLength is null ? [teacherAtLength] : [teacherAtLength, descriptionsAtLength];
                using var student = recipes.Student(data, teachers, labelled, pool, seed, recipe, scoreRounds ? data.Test : null, rounds.Add);
                if (scoreRounds)
                {
                    perRound!.Add([.. rounds.Select(r => r.Training!.Epochs[^1].Evaluation!.Classification!.Accuracy * 100)]);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} seed {seed}: per round {string.Join(", ", perRound[^1].Select(a => a.ToString("0.00", CultureInfo.InvariantCulture)))} %"));
                }
                return (Accuracy(student, data.Test, maxLength), teacherScore);
            }
            default:
                throw new InvalidOperationException($"no method for key {key}");
        }
    }

    /// <summary>
    /// The 3-layer student of a 6-layer SST-2 teacher: the teacher fine-tuned on <c>--teacher-rows</c> training rows (all by default),
    /// the student distilled from it over the training sentences (labels hidden, alpha 1), both scored on test; then the speed of both on
    /// the test sentences (torch, fp32, batch 32, alternated, the faster of two passes each).
    /// </summary>
    static void StudentOfThreeLayers(BenchArguments args, LabelEfficiencyData data, LabelEfficiencyRecipes recipes, int maxLength, bool bf16,
        BenchResult result, Dictionary<string, double> measured)
    {
        var all = Sst2.Read("train")!;
        int rows = args.Int("--teacher-rows", all.Count);
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(42).Shuffle(order);
        var train = order.Take(rows).Select(i => TrainingExample.ForLabel(all[i].Sentence, all[i].Label)).ToList();
        var pool = order.Skip(rows).Take(args.Int("--student-pool", all.Count)).Select(i => all[i].Sentence).ToList();
        if (pool.Count == 0) pool = [.. train.Select(t => t.Text)]; // the teacher's own training sentences, labels hidden
        var clock = Stopwatch.StartNew();
        using var teacher = Classification.TextClassifier.FromPretrained(Pretrained.EmbeddedModels.DefaultName, data.Labels, seed: 42);
        new Trainer(teacher, new TrainingOptions
        {
            Epochs = 2, BatchSize = 16, LearningRate = 5e-5, WarmupRatio = 0.1, MaxLength = maxLength, GroupByLength = true, BFloat16MixedPrecision = bf16, LoadBestModelAtEnd = false,
        }).Train(train);
        double teacherScore = Accuracy(teacher, data.Test, maxLength);
        var options = new DistillationOptions
        {
            Training = new TrainingOptions
            {
                Epochs = 3, BatchSize = 32, LearningRate = 1e-4, WarmupRatio = 0.1, MaxLength = maxLength, GroupByLength = true, BFloat16MixedPrecision = bf16,
                LoadBestModelAtEnd = false, SoftTargetLoss = new SoftTargetLoss(2, 1),
            },
            StudentLayers = 3,
        };
        using var student = new Distiller(options).Distill([teacher], [], pool);
        double studentScore = Accuracy(student, data.Test, maxLength);
        using var teacherFp32 = teacher.WithSettings(teacher.Settings with { Precision = InferencePrecision.Float32 });
        using var studentFp32 = student.WithSettings(student.Settings with { Precision = InferencePrecision.Float32 });
        double teacherSeconds = double.MaxValue, studentSeconds = double.MaxValue;
        for (int pass = 0; pass < 2; pass++)
        {
            teacherSeconds = Math.Min(teacherSeconds, Timed(() => teacherFp32.PredictBatch(data.Test.Select(t => t.Text).ToList())));
            studentSeconds = Math.Min(studentSeconds, Timed(() => studentFp32.PredictBatch(data.Test.Select(t => t.Text).ToList())));
        }
        measured["sst2_student3_accuracy"] = studentScore;
        measured["sst2_student3_teacher_accuracy"] = teacherScore;
        measured["sst2_student3_speedup"] = teacherSeconds / studentSeconds;
        result["sst2_student3_accuracy"] = studentScore;
        result["sst2_student3_teacher_accuracy"] = teacherScore;
        result["sst2_student3_gap"] = teacherScore - studentScore;
        result.AtMost("sst2_student3_gap", teacherScore - studentScore, 1.5, "a 3-layer student keeps half the body: more pool epochs or texts close the gap (docs/results.md)");
        result["sst2_student3_speedup"] = teacherSeconds / studentSeconds;
        result.AtLeast("sst2_student3_speedup", teacherSeconds / studentSeconds, 1.8, "tokenization, embeddings and the head do not shrink with the layers");
        result["sst2_student3_teacher_rows"] = train.Count;
        result["sst2_student3_pool"] = pool.Count;
        result["sst2_student3_seconds"] = clock.Elapsed.TotalSeconds;
    }

    static double Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The learning curve's lines for one data set from the measured keys.</summary>
    static List<LearningCurve.Line> Curve(string name, int labels, Dictionary<string, double> measured)
    {
        List<(int, double)> Points(string suffix) => [.. measured.Where(m => m.Key.StartsWith(name + "_", StringComparison.Ordinal) && m.Key.EndsWith("_" + suffix, StringComparison.Ordinal))
            .Select(m => (Labels: int.TryParse(m.Key.Split('_')[1], CultureInfo.InvariantCulture, out int k) ? k * labels : 0, m.Value))
            .Where(p => suffix != "unlabeled" || p.Labels > 0)];
        var zeroShotPool = measured.TryGetValue(name + "_zeroshot_unlabeled", out double z) ? new List<(int, double)> { (0, z) } : [];
        return
        [
            new("zero-shot (descriptions)", Points("zeroshot")),
            new("zero-shot + 5,000 unlabelled texts", zeroShotPool),
            new("few-shot (SetFit)", Points("fewshot")),
            new("fine-tuning", Points("finetune")),
            new("labels + 5,000 unlabelled texts (self-training)", Points("unlabeled")),
        ];
    }

    static string Bound(string key) => key switch
    {
        _ when key.Contains("zeroshot", StringComparison.Ordinal) && !key.EndsWith("unlabeled", StringComparison.Ordinal) => "the descriptions are the only lever without data (docs/results.md)",
        _ when key.EndsWith("unlabeled", StringComparison.Ordinal) => "a student learns its teacher's function; the teacher's accuracy bounds it (docs/results.md)",
        _ => "the spread between draws of so few examples is 2 to 3 points (docs/results.md)",
    };

    static double Double(BenchArguments args, string name, double fallback) =>
        args.Option(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    static double StandardDeviation(List<double> xs) =>
        xs.Count < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - xs.Average()) * (x - xs.Average())) / (xs.Count - 1));

    static double Accuracy(TextClassifier classifier, List<TrainingExample> examples, int maxLength) =>
        Evaluation.Run(classifier, examples, maxLength).Classification!.Accuracy * 100;
}
