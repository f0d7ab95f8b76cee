using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Checkpoints;
using TypedBert.Training.Distillation;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>typedbert distill</c>: one or more trained classifiers (their mean probabilities) teach a student, often smaller, on unlabelled texts
/// and any labelled rows; the student is saved like a trained classifier.
/// </summary>
internal static class DistillCommand
{
    public static Command Create()
    {
        var teachers = new Option<string[]>("--teacher") { Description = "A trained classifier folder; repeat for an ensemble (the mean of their probabilities)", Required = true, AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output") { Description = "Folder for the student", Required = true };
        var studentLayers = new Option<int?>("--student-layers") { Description = "Encoder layers of the student, evenly spaced from its source's (6 → 3 keeps layers 1, 3, 5; default: all)" };
        var studentFrom = new Option<string?>("--student-from") { Description = "Take the student's layers from this base model (embedded name, folder or hub id) with a new head, instead of the first teacher" };
        var data = new Option<string?>("--data") { Description = "Labelled rows the student also trains on (cross-entropy)" };
        var eval = new Option<string?>("--eval") { Description = "Labelled file scored after every epoch of the student (picks its best epoch)" };
        var test = new Option<string?>("--test") { Description = "Labelled file scored once with the teacher(s) and the student; the pool may not share its texts" };
        // The student trains as typedbert train does: every fine-tuning flag of the table, but --max-length, which also bounds the teachers.
        var training = new TrainingOptionFlags(TrainingOptionTable.FineTuning.Where(row => row != TrainingOptionTable.MaxLength),
            new Dictionary<TrainingOption, double> { [TrainingOptionTable.SaveSteps] = 500 });
        var maxLength = new Option<int?>("--max-length") { Description = "Longest input in tokens, for the student's training and the teachers' scoring (default: the model's maximum)" };
        var threads = new Option<int?>("--threads");
        var bf16 = new Option<bool>("--bf16") { Description = "bf16 mixed precision for the student's training" };
        var json = new Option<string?>("--json") { Description = "Write the run's metrics to this JSON file ('-': standard output, everything else to standard error)" };
        var checkpointDir = new Option<string?>("--checkpoint-dir") { Description = "Folder for checkpoints (default: OUTPUT.checkpoints beside the output folder)" };
        var noCheckpoints = new Option<bool>("--no-checkpoints") { Description = "Write no checkpoints" };
        var resume = new Option<bool>("--resume") { Description = "Continue a killed distillation from its checkpoints (same teachers, pool and options)" };
        var pool = new UnlabeledPoolOptions(required: true);
        var dataOptions = new DataOptions();
        var command = new Command("distill", "Distil trained classifiers into a student (often smaller) on unlabelled texts")
        {
            teachers, output, studentLayers, studentFrom, data, eval, test, maxLength, threads, bf16, json, checkpointDir, noCheckpoints, resume,
        };
        training.AddTo(command);
        pool.AddTo(command);
        dataOptions.AddTo(command);
        command.SetAction((result, cancellationToken) => Task.Run(() =>
        {
            var console = ConsoleOutput.Begin(result.GetValue(json));
            if (result.GetValue(threads) is int count) TorchSharp.torch.set_num_threads(count);
            // Every input is read and checked before the first training step: the teachers, their labels, the layers, the files.
            var loaded = new List<TextClassifier>();
            TextClassifier? source = null;
            try
            {
                foreach (var path in result.GetValue(teachers)!) loaded.Add(LoadTeacher(path));
                var labels = loaded[0].Labels;
                for (int i = 1; i < loaded.Count; i++)
                    if (!labels.SequenceEqual(loaded[i].Labels, StringComparer.Ordinal))
                        throw CliException.BadInput($"--teacher {result.GetValue(teachers)![i]} has the labels [{string.Join(", ", loaded[i].Labels)}], not [{string.Join(", ", labels)}] "
                            + $"as --teacher {result.GetValue(teachers)![0]}; an ensemble's teachers must share their labels in the same order: drop it, or retrain it with --labels {string.Join(",", labels)}");
                if (result.GetValue(maxLength) is int length)
                    for (int i = 0; i < loaded.Count; i++)
                    {
                        var teacher = loaded[i];
                        loaded[i] = teacher.WithSettings(teacher.Settings with { MaxLength = Math.Min(length, teacher.Tokenizer.ModelMaxLength) });
                        teacher.Dispose(); // the copy holds the weights
                    }
                if (result.GetValue(studentFrom) is { } baseModel)
                {
                    BaseModelCheck.Check(baseModel, result.GetValue(maxLength), $"--max-length {result.GetValue(maxLength)}");
                    source = TextClassifier.FromPretrained(baseModel, labels, ProblemType.SingleLabel, seed: training.Whole(result, TrainingOptionTable.Seed)!.Value);
                }
                var layerSource = source ?? loaded[0];
                int sourceLayers = layerSource.Config.Encoder.NumHiddenLayers;
                if (result.GetValue(studentLayers) is int asked && (asked < 1 || asked > sourceLayers))
                    throw CliException.Usage($"--student-layers {asked}: the student's layers come from {(source is null ? $"--teacher {result.GetValue(teachers)![0]}" : $"--student-from {result.GetValue(studentFrom)}")}, "
                        + $"which has {sourceLayers}; ask for 1 to {sourceLayers}");

                if (source is null && loaded.Count == 1 && (result.GetValue(studentLayers) ?? sourceLayers) == sourceLayers)
                    Console.Error.WriteLine("warning: the student starts as a copy of its only teacher, so the pool's soft labels teach it nothing new; "
                        + "ask for fewer layers (--student-layers), start it from the base model (--student-from), or add teachers");
                var labelSet = new LabelSet(labels);
                var testPath = result.GetValue(test);
                var testExamples = testPath is null ? null : dataOptions.ReadExamples(result, "--test", testPath, labelSet, ProblemType.SingleLabel, "the teachers know only their labels: correct the row");
                var evalExamples = result.GetValue(eval) is { } evalPath ? dataOptions.ReadExamples(result, "--eval", evalPath, labelSet, ProblemType.SingleLabel, "the teachers know only their labels: correct the row") : null;
                var labelled = result.GetValue(data) is { } dataPath ? dataOptions.ReadExamples(result, "--data", dataPath, labelSet, ProblemType.SingleLabel, "the teachers know only their labels: correct the row") : [];
                var texts = pool.ReadPool(result, dataOptions, testExamples, testPath);

                string checkpoints = result.GetValue(checkpointDir) ?? Path.GetFullPath(result.GetValue(output)!).TrimEnd(Path.DirectorySeparatorChar) + ".checkpoints";
                bool checkpointing = !result.GetValue(noCheckpoints);
                if (result.GetValue(resume) && !checkpointing) throw CliException.Usage("--resume reads checkpoints; drop --no-checkpoints");
                var studentTraining = training.ApplyTo(result, new TrainingOptions
                {
                    MaxLength = result.GetValue(maxLength), Threads = result.GetValue(threads), BFloat16MixedPrecision = result.GetValue(bf16),
                });
                var options = pool.Options(result, studentTraining, result.GetValue(studentLayers), checkpointing ? checkpoints : null, result.GetValue(resume));
                Console.WriteLine($"{loaded.Count} teacher(s); labels: {string.Join(", ", labels)}; {texts.Count} pool texts, {labelled.Count} labelled rows; "
                    + $"student: {options.StudentLayers ?? sourceLayers} of the {sourceLayers} layers of {(source is null ? "the first teacher" : result.GetValue(studentFrom))}");

                var teacherTests = testExamples is null ? null
                    : loaded.Select(t => console.Progress.Count("testing a teacher", testExamples.Count, done => Evaluation.Run(t, testExamples, null, done))).ToList();
                var (student, rounds) = UnlabeledPoolOptions.Run(options, loaded, labelled, texts, evalExamples, source, console, cancellationToken);
                using (student)
                {
                    student.Save(result.GetValue(output)!);
                    Console.WriteLine($"saved the student ({student.Config.Encoder.NumHiddenLayers} layers) to {Path.GetFullPath(result.GetValue(output)!)}");
                    EvaluationResult? studentTest = null;
                    if (testExamples is not null)
                    {
                        for (int i = 0; i < loaded.Count; i++) Console.WriteLine($"teacher {result.GetValue(teachers)![i]}: test accuracy {Report.F(teacherTests![i].Classification!.Accuracy)}");
                        studentTest = console.Progress.Count("testing the student", testExamples.Count, done => Evaluation.Run(student, testExamples, null, done));
                        Console.WriteLine($"test: {testPath}");
                        Report.Evaluation(studentTest);
                    }
                    Report.WriteJson(result.GetValue(json), new Dictionary<string, object?>
                    {
                        ["method"] = "distill",
                        ["teachers"] = result.GetValue(teachers),
                        ["labels"] = labels,
                        ["student_layers"] = student.Config.Encoder.NumHiddenLayers,
                        ["pool_texts"] = texts.Count,
                        ["labelled_rows"] = labelled.Count,
                        ["options"] = options,
                        ["rounds"] = UnlabeledPoolOptions.Json(rounds),
                        ["teacher_tests"] = teacherTests?.Select(Report.EvaluationJson).ToList(),
                        ["test"] = studentTest is null ? null : Report.EvaluationJson(studentTest),
                    });
                }
                return 0;
            }
            finally
            {
                source?.Dispose();
                foreach (var teacher in loaded) teacher.Dispose();
            }
        }, cancellationToken));
        return command;
    }

    static TextClassifier LoadTeacher(string path)
    {
        try
        {
            var teacher = TextClassifier.Load(path);
            if (teacher.IsExported || teacher.ProblemType != ProblemType.SingleLabel)
            {
                string why = teacher.IsExported ? "is an exported ONNX folder; give the classifier folder it was exported from (with model.safetensors)"
                    : $"is a {teacher.ProblemType} classifier; distillation teaches single-label students";
                teacher.Dispose();
                throw CliException.BadInput($"--teacher {path} {why}");
            }
            return teacher;
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidDataException or NotSupportedException)
        {
            throw CliException.BadInput($"--teacher {path}: {e.Message}", e);
        }
    }
}
