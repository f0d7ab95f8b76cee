using System.Diagnostics;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;
using TypedBert.Training.Distillation;

namespace TypedBert.Benchmarks;

/// <summary>
/// <c>sst2_ensemble_student</c>: one 6-layer SST-2 model distilled from an ensemble of full-data SST-2 teachers (the mean of their
/// probabilities at the student's temperature, <see cref="TeacherEnsemble"/>) on SST-2's training sentences.
/// <para>
/// The teachers are <c>--ensemble-teachers a,b,...</c> (classifier folders trained on SST-2, labels 0 and 1, e.g. by <c>typedbert train</c>
/// with the recommended recipe of docs/results.md), or else <c>--ensemble-size</c> of them are trained here on every training row (the
/// recommended recipe, seeds 1..n, the last epoch kept: dev is not read), about an hour each on 2 cores; <c>--ensemble-save FOLDER</c>
/// keeps them (and the student) for a later run. <c>--ensemble-checkpoints FOLDER</c> checkpoints the student's training and resumes it
/// from there when the folder already holds a run of the same teachers, pool and options.
/// </para>
/// <para>
/// The student's settings default to those of the 3-layer student of docs/results.md (temperature 2, labels hidden: alpha 1, batch 32,
/// learning rate 1e-4, 3 epochs over the pool), starting from the base body with a new head; they were not chosen on dev for the ensemble:
/// choose them with <c>--on dev</c> (<c>--ensemble-student base|teacher</c>, <c>--ensemble-temperature</c>, <c>--ensemble-alpha</c>,
/// <c>--ensemble-epochs</c>, <c>--ensemble-lr</c>) before reading test.
/// </para>
/// </summary>
internal static class LabelEfficiencyEnsemble
{
    public static void Run(BenchArguments args, LabelEfficiencyData data, int maxLength, bool bf16, BenchResult result, Dictionary<string, double> measured)
    {
        var clock = Stopwatch.StartNew();
        var tested = data.Test.Select(t => t.Text.Trim()).ToHashSet(StringComparer.Ordinal);
        var all = Sst2.Read("train")!.Where(r => !tested.Contains(r.Sentence.Trim())).ToList();
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(42).Shuffle(order);
        var rows = order.Take(args.Int("--ensemble-pool", all.Count)).Select(i => all[i]).ToList();
        var pool = rows.Select(r => r.Sentence).ToList();
        string? save = args.Option("--ensemble-save");

        var teachers = new List<TextClassifier>();
        try
        {
            var folders = args.Option("--ensemble-teachers")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (folders is not null) teachers.AddRange(folders.Select(folder => LoadTeacher(folder, data.Labels)));
            else
                for (int seed = 1; seed <= args.Int("--ensemble-size", 3); seed++)
                {
                    var teacher = TrainTeacher(all, data.Labels, seed, maxLength, bf16);
                    teachers.Add(teacher);
                    if (save is not null) teacher.Save(Path.Combine(save, $"teacher-seed{seed}"));
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sst2_ensemble_student: teacher {seed} trained, {clock.Elapsed.TotalSeconds:0} s so far"));
                }
            if (teachers.Count < 2) Console.Error.WriteLine("warning: sst2_ensemble_student with one teacher is a plain distillation, not an ensemble");

            var teacherScores = teachers.Select(t => Accuracy(t, data.Test, maxLength)).ToList();
            var ensemble = new TeacherEnsemble(teachers);
            var ensembleScores = ensemble.Score([.. data.Test.Select(t => t.Text)], 1, maxLength);
            double ensembleScore = 100.0 * ensembleScores.Where((s, i) => s.LabelId == data.Test[i].LabelId).Count() / data.Test.Count;

            double alpha = Double(args, "--ensemble-alpha", 1);
            string studentStart = args.Option("--ensemble-student") ?? "base";
            if (studentStart is not ("base" or "teacher")) throw new ArgumentException($"--ensemble-student takes base or teacher, not \"{studentStart}\"");
            string? checkpoints = args.Option("--ensemble-checkpoints");
            var options = new DistillationOptions
            {
                Training = new TrainingOptions
                {
                    Epochs = args.Int("--ensemble-epochs", 3), BatchSize = 32, LearningRate = Double(args, "--ensemble-lr", 1e-4), WarmupRatio = 0.1,
                    MaxLength = maxLength, GroupByLength = true, BFloat16MixedPrecision = bf16, LoadBestModelAtEnd = false, Seed = 42,
                    SoftTargetLoss = new SoftTargetLoss(Double(args, "--ensemble-temperature", 2), alpha),
                },
                CheckpointDirectory = checkpoints,
                Resume = checkpoints is not null && Directory.Exists(checkpoints),
            };
            // alpha < 1 adds the training rows with their labels (cross-entropy, weight 1 - alpha) beside their soft labels.
            var labelled = alpha < 1 ? rows.Select(r => TrainingExample.ForLabel(r.Sentence, r.Label)).ToList() : [];
            using var source = studentStart == "base"
                ? TextClassifier.FromPretrained(EmbeddedModels.DefaultName, data.Labels, ProblemType.SingleLabel, PoolingStrategy.Mean, seed: 42)
                : null;
            using var student = new Distiller(options).Distill(teachers, labelled, pool, studentSource: source);
            if (save is not null) student.Save(Path.Combine(save, "student"));
            double studentScore = Accuracy(student, data.Test, maxLength);

            measured["sst2_ensemble_student"] = studentScore;
            result["sst2_ensemble_student"] = studentScore;
            result["sst2_ensemble_teachers"] = teacherScores.Select(s => Math.Round(s, 2)).ToArray();
            result["sst2_ensemble_teacher_folders"] = folders ?? (save is null ? ["trained here, not saved"] : [.. Enumerable.Range(1, teachers.Count).Select(s => Path.Combine(save, $"teacher-seed{s}"))]);
            result["sst2_ensemble_mean_probabilities"] = ensembleScore;
            result["sst2_ensemble_student_setup"] = $"{pool.Count} training sentences (labels {(alpha < 1 ? $"used at weight {1 - alpha:R}" : "hidden")}); "
                + $"student from {(studentStart == "base" ? "the base body, new head" : "the first teacher")}; {options.Training.SoftTargetLoss}; "
                + $"{options.Training.Epochs} epoch(s), batch 32, lr {options.Training.LearningRate:R}";
            result["sst2_ensemble_student_seconds"] = clock.Elapsed.TotalSeconds;
            result.AtLeast("sst2_ensemble_student", studentScore, 90.5,
                "a student learns its teachers' function: the ensemble's own accuracy (sst2_ensemble_mean_probabilities) bounds it");
        }
        finally
        {
            foreach (var teacher in teachers) teacher.Dispose();
        }
    }

    /// <summary>A teacher folder, refused when it is not a single-label classifier of SST-2's labels (the folder named, with the fix).</summary>
    static TextClassifier LoadTeacher(string folder, string[] labels)
    {
        TextClassifier teacher;
        try
        {
            teacher = TextClassifier.Load(folder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or NotSupportedException)
        {
            throw new ArgumentException($"--ensemble-teachers {folder}: {e.Message}; give trained SST-2 classifier folders", e);
        }
        try
        {
            TeacherEnsemble.CheckLabels(labels, teacher.Labels, $"--ensemble-teachers {folder}");
            if (teacher.ProblemType != ProblemType.SingleLabel) throw new ArgumentException($"--ensemble-teachers {folder} is a {teacher.ProblemType} classifier; give single-label SST-2 models");
            return teacher;
        }
        catch
        {
            teacher.Dispose();
            throw;
        }
    }

    /// <summary>A full-data teacher: docs/results.md's recommended SST-2 recipe (3 epochs, batch 32, lr 1e-4, 10 % warm-up, layer-wise decay
    /// 0.85, label smoothing 0.1), at the bench's length, the last epoch kept.</summary>
    static TextClassifier TrainTeacher(List<(string Sentence, int Label)> train, string[] labels, int seed, int maxLength, bool bf16)
    {
        var teacher = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels, seed: seed);
        new Trainer(teacher, new TrainingOptions
        {
            Epochs = 3, BatchSize = 32, LearningRate = 1e-4, WarmupRatio = 0.1, LayerwiseLearningRateDecay = 0.85, LabelSmoothingFactor = 0.1,
            MaxLength = maxLength, GroupByLength = true, BFloat16MixedPrecision = bf16, LoadBestModelAtEnd = false, Seed = seed,
        }).Train([.. train.Select(r => TrainingExample.ForLabel(r.Sentence, r.Label))]);
        return teacher;
    }

    static double Double(BenchArguments args, string name, double fallback) =>
        args.Option(name) is { } value ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    static double Accuracy(TextClassifier classifier, List<TrainingExample> examples, int maxLength) =>
        Evaluation.Run(classifier, examples, maxLength).Classification!.Accuracy * 100;
}
