using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>Tiny data files with the mistakes a new user makes, and an untrained model folder, shared by the tests below.</summary>
public sealed class MistakeFiles : IDisposable
{
    public MistakeFiles()
    {
        Write("train.tsv", "text\tlabel", "a fine film\tPositive", "a dull film\tNegative", "a great film\tPositive", "a boring film\tNegative");
        Write("typo.tsv", "text\tlabel", "a fine film\tPositive", "a dull film\tNegative", "a great film\tPostive", "a boring film\tnegative", "a lovely film\tpositive");
        Write("neutral.tsv", "text\tlabel", "a fine film\tPositive", "a film\tNeutral");
        Write("ragged.tsv", "text\tlabel", "a fine film\tPositive", "a dull\tfilm\tNegative");
        Write("header-only.tsv", "text\tlabel");
        Write("empty.tsv");
        Write("sentences.tsv", "sentence\tlabel", "a fine film\tPositive");
        Write("rows.jsonl", "{\"sentence\": \"a fine film\", \"label\": \"Positive\"}");
        Write("table.xlsx", "not a table");
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]);
        classifier.Save(System.IO.Path.Combine(Path, "model"));
    }

    public string Path { get; } = Directory.CreateTempSubdirectory("typedbert-cli-mistakes-").FullName;

    void Write(string name, params string[] lines) => File.WriteAllText(System.IO.Path.Combine(Path, name), lines.Length == 0 ? "" : string.Join("\n", lines) + "\n");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>
/// Each mistake of issue 25's list through the real <c>typedbert</c> process: one or two lines that name the option, file, line, field
/// and fix; exit code 2 for a usage mistake and 1 for a bad data file or model; no stack trace unless <c>--verbose</c>; and nothing
/// trained or written first.
/// </summary>
public sealed class CliMistakesTests(MistakeFiles files) : IClassFixture<MistakeFiles>
{
    // The hub is never asked: an unknown model name fails at once, as it does offline.
    static readonly Dictionary<string, string?> Offline = new() { ["HF_HUB_OFFLINE"] = "1" };

    ProcessResult Run(string arguments) =>
        ProcessRunner.Run(ProcessRunner.Dotnet, [Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), .. arguments.Split(' ')], files.Path,
            TimeSpan.FromMinutes(2), Offline);

    static void AssertNoTrace(ProcessResult result)
    {
        Assert.DoesNotContain("   at ", result.StandardError);
        Assert.DoesNotContain("Unhandled exception", result.StandardError);
        Assert.DoesNotContain("internal error", result.StandardError);
    }

    public static TheoryData<string, int, string> Mistakes => new()
    {
        // Data files of train: the option, the file and line, what is wrong and the fix.
        { "train --data sentences.tsv --output out", 1,
            "error: --data sentences.tsv:1: no column \"text\" in the header (columns: sentence, label); name the column with --text-column (or rename it in the file)" },
        { "train --data train.tsv --output out --label-column tag", 1,
            "error: --data train.tsv:1: no column \"tag\" in the header (columns: text, label); name the column with --label-column" },
        { "train --data rows.jsonl --output out", 1, "error: --data rows.jsonl:1: no string field \"text\"; name the column with --text-column" },
        { "train --data empty.tsv --output out", 1, "error: --data empty.tsv:1: the file is empty: write a header line (text<TAB>label) and a row per example" },
        { "train --data header-only.tsv --output out", 1, "error: --data header-only.tsv:1: the file holds no data rows; add rows below the header line" },
        { "train --data ragged.tsv --output out", 1,
            "error: --data ragged.tsv:3: 3 fields, but the header has 2 (a field that holds a tab must be in double quotes); correct the row, or add --skip-bad-rows to leave out the bad rows" },
        { "train --data missing.tsv --output out", 1, "error: --data missing.tsv: no such file" },
        { "train --data table.xlsx --output out", 1, "error: --data table.xlsx: unknown data format \".xlsx\"; use .tsv, .csv or .jsonl" },
        // Labels: a file that names a label the training data lacks fails before training; --labels refuses a typo with the closest label.
        { "train --data train.tsv --test neutral.tsv --output out", 1,
            "error: --test neutral.tsv:3: unknown label \"Neutral\" (known: Negative, Positive, or an id 0..1; closest: Negative); the training file train.tsv has no example of it" },
        { "train --data train.tsv --eval neutral.tsv --output out", 1, "error: --eval neutral.tsv:3: unknown label \"Neutral\"" },
        { "train --data typo.tsv --labels Negative,Positive --output out", 1,
            "error: --data typo.tsv:4: unknown label \"Postive\" (known: Negative, Positive, or an id 0..1; closest: Positive); correct the label, or add it to --labels; or add --skip-bad-rows" },
        { "train --data train.tsv --labels Positive,positive --output out", 2,
            "error: --labels Positive,positive: labels \"Positive\" and \"positive\" differ only in case" },
        // The base model and the options checked against it.
        { "train --data train.tsv --model no-such-model --output out", 1,
            "error: --model no-such-model: \"no-such-model\" is neither a model folder nor an embedded model name (known: minilm-l6-uncased" },
        { "train --data train.tsv --max-length 1024 --output out", 2,
            "error: --max-length 1024: use 3 to 512 tokens ([CLS] and [SEP] included), the positions of base model 'minilm-l6-uncased'" },
        { "train --data train.tsv --max-length 2 --output out", 2, "error: MaxLength must be at least 3, not 2" },
        // Options: a misspelt one, a bad value, options that do not go together.
        { "train --data train.tsv --epoch 1 --output out", 2, "error: typedbert train does not take --epoch 1; did you mean --epochs?" },
        { "train --data train.tsv --epochs two --output out", 2, "error: Cannot parse argument 'two' for option '--epochs'" },
        { "train --data train.tsv", 2, "error: Option '--output' is required." },
        { "train --data train.tsv --class-weights 1,x --output out", 2, "error: --class-weights 1,x: \"x\" is not a non-negative number" },
        { "train --data train.tsv --class-weights 1,2,3 --output out", 2, "error: --class-weights 1,2,3: 3 weight(s) for 2 labels (Negative, Positive)" },
        { "train --data train.tsv --eval train.tsv --eval-fraction 0.2 --output out", 2, "error: --eval train.tsv and --eval-fraction both choose the evaluation data; drop one" },
        { "train --data train.tsv --eval-fraction 1.5 --output out", 2, "error: --eval-fraction 1.5: the evaluation fraction must be between 0 and 1" },
        { "train --data train.tsv --train-rows 0 --output out", 2, "error: --train-rows 0: give at least 1 row" },
        { "train --data train.tsv --config missing.json --output out", 1, "error: --config missing.json:" },
        { "train --data train.tsv --resume --output out", 2, "error: --resume: no complete checkpoint in" },
        // The commands that read a model folder.
        { "eval --model no-model --data train.tsv", 1, "error: no-model: no such model folder" },
        { "eval --model model --data sentences.tsv", 1, "error: --data sentences.tsv:1: no column \"text\" in the header" },
        { "eval --model model --data neutral.tsv", 1, "error: --data neutral.tsv:3: unknown label \"Neutral\" (known: Negative, Positive, or an id 0..1; closest: Negative)" },
        { "predict --model no-model --text hello", 1, "error: no-model: no such model folder" },
        { "predict --model model --file missing.txt", 1, "error: " },
        { "export --model no-model --output onnx", 1, "error: no-model: no such model folder" },
        // tune checks the same way, and its test file too, before the first trial.
        { "tune --data sentences.tsv --output search", 1, "error: --data sentences.tsv:1: no column \"text\" in the header" },
        { "tune --data train.tsv --test neutral.tsv --retrain-best --output search", 1, "error: --test neutral.tsv:3: unknown label \"Neutral\"" },
        { "tune --data train.tsv --max-length 1024 --output search", 2, "error: --max-length 1024: use 3 to 512 tokens" },
        { "tune --data typo.tsv --labels Negative,Positive --output search", 1, "error: --data typo.tsv:4: unknown label \"Postive\"" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void A_mistake_is_one_or_two_lines_with_the_fix_and_the_exit_code(string arguments, int exitCode, string message)
    {
        var result = Run(arguments);
        // Whatever a failing case wrote is removed before the assertions, so that it cannot fail the cases after it.
        var written = new[] { "out", "search", "onnx", "out.checkpoints" }.Where(w => Path.Exists(Path.Combine(files.Path, w))).ToList();
        foreach (var folder in written) Directory.Delete(Path.Combine(files.Path, folder), recursive: true);
        Assert.True(result.ExitCode == exitCode, $"{arguments}: {result}");
        Assert.Contains(message, result.StandardError);
        AssertNoTrace(result);
        var errorLines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("warning:", StringComparison.Ordinal) && !l.StartsWith("this CPU has", StringComparison.Ordinal)).ToList();
        Assert.True(errorLines.Count is >= 1 and <= 3, $"{arguments}: {result}");
        Assert.True(written.Count == 0, $"{arguments} wrote {string.Join(", ", written)}");
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        var result = Run("eval --model no-model --data train.tsv --verbose");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: no-model: no such model folder", result.StandardError);
        Assert.Contains("System.IO.DirectoryNotFoundException", result.StandardError);
        Assert.Contains("   at ", result.StandardError);
    }

    [Fact]
    public void Serve_refuses_a_missing_model_folder_without_a_trace()
    {
        var result = Run("serve --model no-model --urls http://127.0.0.1:0");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --model no-model: no such model folder", result.StandardError);
        AssertNoTrace(result);
    }

    /// <summary>
    /// A label named ignoring case, as the generated parser reads it, is that label; with <c>--skip-bad-rows</c> a label outside
    /// <c>--labels</c> is left out and counted. Trains one epoch on the four rows that remain.
    /// </summary>
    [Fact]
    public void Labels_match_ignoring_case_and_skip_bad_rows_leaves_out_unknown_labels()
    {
        var result = Run("train --data typo.tsv --labels Negative,Positive --skip-bad-rows --output out-labels --epochs 1 --batch-size 4 --max-length 16 --threads 1 "
            + "--no-plots --no-model-card --no-checkpoints --json -");
        try
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("typo.tsv: skipped 1 row(s) with an unknown label (--skip-bad-rows); first: typo.tsv:4: unknown label \"Postive\"", result.StandardError);
            using var json = JsonDocument.Parse(result.StandardOutput);
            Assert.Equal(["Negative", "Positive"], json.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(4, json.RootElement.GetProperty("train_examples").GetInt32());   // "negative" and "positive" are Negative and Positive
        }
        finally
        {
            if (Directory.Exists(Path.Combine(files.Path, "out-labels"))) Directory.Delete(Path.Combine(files.Path, "out-labels"), recursive: true);
        }
    }

    /// <summary>Without <c>--labels</c> a rare near-spelling of a frequent label is trained as its own class, but not silently.</summary>
    [Fact]
    public void A_likely_typo_among_inferred_labels_is_named_before_training()
    {
        var result = Run("train --data typo.tsv --max-length 1024 --output out");   // refused after the labels are read: nothing trains
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("warning: typo.tsv:4: label \"Postive\" (1 row(s)) looks like a misspelling of \"Positive\" (2 rows)", result.StandardError);
    }

    /// <summary>
    /// <c>train --train-rows N --eval-fraction F --split-seed S</c> as tune has them: F of the rows held out for evaluation, N of the rest
    /// trained on. 20 rows, 0.25 and 6 give 5 evaluation rows and 6 training rows.
    /// </summary>
    [Fact]
    public void Train_holds_out_a_seeded_evaluation_slice_and_trains_on_a_row_subset()
    {
        File.WriteAllLines(Path.Combine(files.Path, "twenty.tsv"),
            ["text\tlabel", .. Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? $"a fine film {i}\tPositive" : $"a dull film {i}\tNegative")]);
        var result = Run("train --data twenty.tsv --eval-fraction 0.25 --split-seed 7 --train-rows 6 --output out-split --epochs 1 --batch-size 6 --max-length 16 --threads 1 "
            + "--no-plots --no-model-card --no-checkpoints --json -");
        try
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("training on 6 of 15 training rows of twenty.tsv (--train-rows 6 --split-seed 7); evaluating on 25 % of twenty.tsv (5 rows, --eval-fraction 0.25 --split-seed 7)",
                result.StandardError);
            using var json = JsonDocument.Parse(result.StandardOutput);
            Assert.Equal(6, json.RootElement.GetProperty("train_examples").GetInt32());
            Assert.Equal(5, json.RootElement.GetProperty("epochs")[0].GetProperty("eval").GetProperty("count").GetInt32());
        }
        finally
        {
            if (Directory.Exists(Path.Combine(files.Path, "out-split"))) Directory.Delete(Path.Combine(files.Path, "out-split"), recursive: true);
        }
    }
}
