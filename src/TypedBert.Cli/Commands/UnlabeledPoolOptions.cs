using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Distillation;

namespace TypedBert.Cli.Commands;

/// <summary>
/// The unlabelled pool and how teachers teach a student from it (<c>train --unlabeled</c>, <c>distill</c>): the options, the pool read and
/// checked before any training, and the distillation run with its report.
/// </summary>
internal sealed class UnlabeledPoolOptions(bool required)
{
    public Option<string?> Pool { get; } = new("--unlabeled")
    {
        Description = "Unlabelled texts (.tsv, .csv, .jsonl; the --text-column, labels never read) that the teacher scores; a student trains on its soft labels",
        Required = required,
    };
    public Option<int> Rounds { get; } = new("--rounds") { Description = "Rounds of self-training: the student of one round teaches the next", DefaultValueFactory = _ => 1 };
    public Option<double> Temperature { get; } = new("--temperature") { Description = "Softmax temperature of the soft labels (the KL term is scaled by T²)", DefaultValueFactory = _ => 1 };
    public Option<double> Alpha { get; } = new("--alpha") { Description = "Weight of a pool text's soft-label loss; a labelled row weighs 1 - alpha", DefaultValueFactory = _ => 0.5 };
    public Option<double> MinConfidence { get; } = new("--min-confidence") { Description = "Leave out pool texts whose teacher probability of its best label is below this", DefaultValueFactory = _ => 0 };
    public Option<int?> MaxPerLabel { get; } = new("--max-per-label") { Description = "Keep at most this many pool texts per predicted label (the most confident)" };
    public Option<bool> Balance { get; } = new("--balance") { Description = "Keep as many pool texts per predicted label as the rarest label has" };
    public Option<double> KeepFraction { get; } = new("--keep-fraction")
    {
        Description = "Keep this share of each predicted label's pool texts, the most confident first (after --min-confidence, --max-per-label and --balance)",
        DefaultValueFactory = _ => 1,
    };
    public Option<bool> HardTargets { get; } = new("--hard-targets") { Description = "Pool texts teach the teacher's favoured label (one-hot) instead of its probabilities" };
    public Option<int?> StudentEpochs { get; } = new("--student-epochs")
    {
        Description = "Epochs of each student over the labelled rows plus the pool (default: --epochs), so that a teacher can train many epochs on a few rows and its student one over thousands",
    };

    public Option<int?> StudentBatchSize { get; } = new("--student-batch-size") { Description = "Batch size of each student (default: --batch-size)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Pool, Rounds, Temperature, Alpha, MinConfidence, MaxPerLabel, Balance, KeepFraction, HardTargets, StudentEpochs, StudentBatchSize }) command.Options.Add(option);
    }

    /// <summary>Whether the command was given a pool.</summary>
    public bool Given(ParseResult result) => result.GetValue(Pool) is not null;

    /// <summary>
    /// The pool's texts, checked: the file and its text column exist, it holds at least one text, and none of them is a text of
    /// <paramref name="test"/> (so the test stays unseen).
    /// </summary>
    public List<string> ReadPool(ParseResult result, DataOptions data, List<TrainingExample>? test, string? testPath)
    {
        string path = result.GetValue(Pool)!;
        string textColumn = result.GetValue(data.TextColumn)!;
        List<DataRow> rows;
        try
        {
            // The text column stands in for the label column: a pool has no labels, and any it has are never read.
            rows = DataFile.Read(path, new DataColumns(textColumn, textColumn.Split(',')[0].Trim()));
        }
        catch (DataFormatException e)
        {
            throw CliException.BadInput($"--unlabeled {e.Message}" + (e.MissingColumn is null ? "" : "; name the pool's text column with --text-column (or rename it in the file)"), e);
        }
        catch (FileNotFoundException e)
        {
            throw CliException.BadInput($"--unlabeled {path}: no such file", e);
        }
        catch (NotSupportedException e)
        {
            throw CliException.BadInput($"--unlabeled {e.Message}", e);
        }
        var texts = rows.Where(r => !string.IsNullOrWhiteSpace(r.Text)).ToList();
        if (texts.Count == 0) throw CliException.BadInput($"--unlabeled {path}: no text in column \"{textColumn}\"; give the pool at least one text");
        if (test is not null)
        {
            var tested = test.Select(e => e.Text.Trim()).ToHashSet(StringComparer.Ordinal);
            var shared = texts.Where(r => tested.Contains(r.Text.Trim())).ToList();
            if (shared.Count > 0)
                throw CliException.BadInput($"--unlabeled {path} shares {shared.Count} text(s) with --test {testPath} (first: line {shared[0].Line}); "
                    + "remove them from the pool, so that the test scores texts the student has not seen");
        }
        return [.. texts.Select(r => r.Text)];
    }

    /// <summary>The distillation options of the command line around <paramref name="training"/>; a value out of range is a usage error.</summary>
    public DistillationOptions Options(ParseResult result, TrainingOptions training, int? studentLayers, string? checkpoints, bool resume)
    {
        if (result.GetValue(StudentEpochs) is < 1)
            throw CliException.Usage($"--student-epochs {result.GetValue(StudentEpochs)}: a student trains at least one epoch; give 1 or more, or drop it to use --epochs");
        if (result.GetValue(StudentBatchSize) is < 1)
            throw CliException.Usage($"--student-batch-size {result.GetValue(StudentBatchSize)}: a batch holds at least one row; give 1 or more, or drop it to use --batch-size");
        var options = new DistillationOptions
        {
            Training = training with
            {
                SoftTargetLoss = new SoftTargetLoss(result.GetValue(Temperature), result.GetValue(Alpha)),
                Epochs = result.GetValue(StudentEpochs) ?? training.Epochs, BatchSize = result.GetValue(StudentBatchSize) ?? training.BatchSize,
                CheckpointDirectory = null, ResumeFromCheckpoint = null, // each round has its own (DistillationOptions.CheckpointDirectory)
            },
            Selection = new PoolSelection(result.GetValue(MinConfidence), result.GetValue(MaxPerLabel), result.GetValue(Balance)) { KeepFraction = result.GetValue(KeepFraction) },
            Rounds = result.GetValue(Rounds), HardTargets = result.GetValue(HardTargets), StudentLayers = studentLayers, CheckpointDirectory = checkpoints, Resume = resume,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message.Replace("SoftTargetLoss.Temperature", "--temperature").Replace("SoftTargetLoss.Weight", "--alpha")
                .Replace("MinConfidence", "--min-confidence").Replace("KeepFraction", "--keep-fraction").Replace("MaxPerLabel", "--max-per-label").Replace("Rounds", "--rounds")
                .Replace("StudentLayers", "--student-layers"), e);
        }
        return options;
    }

    /// <summary>Runs the distillation with a progress view, printing each round's pool and kept counts; returns the student and the rounds.</summary>
    public static (TextClassifier Student, List<DistillationRound> Rounds) Run(DistillationOptions options, IReadOnlyList<TextClassifier> teachers,
        IReadOnlyList<TrainingExample> labelled, List<string> pool, IReadOnlyList<TrainingExample>? eval, TextClassifier? studentSource,
        ConsoleOutput console, CancellationToken cancellationToken)
    {
        var rounds = new List<DistillationRound>();
        var started = DateTime.UtcNow;
        var student = console.Progress.Train(progress => new Distiller(options).Distill(teachers, labelled, pool, eval, studentSource, round =>
        {
            rounds.Add(round);
            Console.WriteLine();
            Console.WriteLine($"round {round.Round}: the teacher scored {round.PoolTexts} pool texts; kept {round.Kept.Sum()} ({string.Join(", ", round.Kept.Select((k, l) => $"{teachers[0].Labels[l]}: {k}"))})"
                + (round.Training is null ? $"; read back from {round.ResumedFrom}" : $"; student trained {round.Training.Steps} steps, {Report.Duration(round.Training.Elapsed)}"
                    + (round.ResumedFrom is null ? "" : $" (resumed from {round.ResumedFrom})")));
        }, progress, cancellationToken));
        Console.WriteLine($"distillation: {rounds.Count} round(s), {Report.Duration(DateTime.UtcNow - started)}");
        return (student, rounds);
    }

    /// <summary>The rounds for the JSON report.</summary>
    public static object Json(IEnumerable<DistillationRound> rounds) => rounds.Select(r => new Dictionary<string, object?>
    {
        ["round"] = r.Round, ["pool_texts"] = r.PoolTexts, ["kept_per_label"] = r.Kept, ["steps"] = r.Training?.Steps,
        ["wall_seconds"] = r.Training?.Elapsed.TotalSeconds,
        ["eval"] = r.Training?.Epochs.FirstOrDefault(e => e.Epoch == r.Training.BestEpoch)?.Evaluation is { } e ? Report.EvaluationJson(e) : null,
    }).ToList();
}
