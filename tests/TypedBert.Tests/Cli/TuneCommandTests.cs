using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Search;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert tune</c> with the real executable on a tiny BERT: the files it writes, resuming, retraining, and what it refuses.</summary>
public sealed class TuneCommandTests
{
    static TemporaryFolder Prepare()
    {
        var folder = new TemporaryFolder();
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv"));
        File.WriteAllLines(folder.File("train.tsv"), [lines[0], .. lines[1..21], .. lines[^20..]]);   // 20 + 20 rows
        File.WriteAllLines(folder.File("test.tsv"), [lines[0], .. lines[21..26], .. lines[^25..^20]]); // 5 + 5 rows the search never sees
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, folder.File("tiny"));
        return folder;
    }

    /// <summary>Runs tune with <paramref name="arguments"/> and, for each option they leave out, the small setting the tests share.</summary>
    static ProcessResult Tune(TemporaryFolder folder, params string[] arguments)
    {
        string[][] defaults =
        [
            ["--data", "train.tsv"], ["--model", "tiny"], ["--max-length", "24"], ["--batch-size", "8"], ["--learning-rate", "1e-3:1e-2"],
            ["--epochs", "1:2"], ["--eval-fraction", "0.25"], ["--output", "search"], ["--no-plots"],
        ];
        return CommandLineTests.Typedbert(folder.Path, ["tune", .. defaults.Where(d => !arguments.Contains(d[0])).SelectMany(d => d), .. arguments]);
    }

    [Fact]
    public void Tune_writes_the_trials_and_the_best_configuration_retrains_it_scores_the_test_once_and_resumes()
    {
        using var folder = Prepare();
        var run = CommandLineTests.Typedbert(folder.Path, "tune", "--data", "train.tsv", "--test", "test.tsv", "--retrain-best", "--model", "tiny", "--max-length", "24",
            "--batch-size", "8", "--learning-rate", "1e-3:1e-2", "--epochs", "1:2", "--eval-fraction", "0.25", "--trials", "3", "--output", "search", "--bf16");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("evaluating on 25 % of train.tsv (10 rows, --eval-fraction 0.25 --split-seed 42)", run.StandardOutput);
        Assert.Contains("test file test.tsv: checked, not scored by the search; scored once, after the choice", run.StandardOutput);
        Assert.Contains("pruner: successive halving, rungs at 1, 3, 9, ... steps, keeping 1 in 3 (a step is an epoch: trials report after each)", run.StandardOutput);
        Assert.Contains("the test file test.tsv is scored once, now, after the choice", run.StandardOutput);
        Assert.Equal(1, CountOf(run.StandardOutput, "test: test.tsv"));

        string search = folder.File("search");
        using (var study = JsonDocument.Parse(File.ReadAllText(Path.Combine(search, "study.json"))))
        {
            var trials = study.RootElement.GetProperty("trials").EnumerateArray().ToList();
            Assert.Equal([0, 1, 2], trials.Select(t => t.GetProperty("number").GetInt32()));
            Assert.All(trials, t => Assert.InRange(t.GetProperty("parameters").GetProperty("learning_rate").GetDouble(), 1e-3, 1e-2));
            Assert.All(trials, t => Assert.NotEqual(0, t.GetProperty("intermediate").GetArrayLength()));
            Assert.Equal("30:", study.RootElement.GetProperty("settings").GetProperty("training data").GetString()![..3]);
            Assert.Contains("\"BFloat16MixedPrecision\":true", study.RootElement.GetProperty("settings").GetProperty("base options").GetString());
        }
        foreach (var plot in new[] { "trials.png", "learning_curves.png" })
            Assert.True(new FileInfo(Path.Combine(search, plot)).Length > 1000, $"{plot} is missing or empty");
        var best = BestConfiguration.Read(Path.Combine(search, "best.json"));
        Assert.Equal("tiny", best.Model);
        Assert.Equal(["Negative", "Positive"], best.Labels!.Order());   // for the build-time check of [BertTrainingConfig(SearchResult = ...)] (TB0405)
        Assert.Equal(24, best.MaxLength);
        Assert.InRange(best.LearningRate, 1e-3, 1e-2);
        Assert.Contains($"best: trial {best.Trial}", run.StandardOutput);

        using (var retrain = JsonDocument.Parse(File.ReadAllText(Path.Combine(search, "retrain.json"))))
        {
            Assert.Equal(40, retrain.RootElement.GetProperty("train_examples").GetInt32());   // the full training file, the evaluation slice included
            Assert.Equal(10, retrain.RootElement.GetProperty("test").GetProperty("count").GetInt32());
            Assert.Equal(best.LearningRate, retrain.RootElement.GetProperty("options").GetProperty("learning_rate").GetDouble());
            Assert.Equal(best.Epochs, retrain.RootElement.GetProperty("options").GetProperty("epochs").GetInt32());
            Assert.True(retrain.RootElement.GetProperty("options").GetProperty("b_float16_mixed_precision").GetBoolean());   // trained as the trials were
        }
        using (var model = TextClassifier.Load(Path.Combine(search, "model"))) Assert.Equal(2, model.Labels.Count);

        // The search continues where it stopped: a fourth trial, none of the first three again.
        var again = Tune(folder, "--trials", "4", "--resume", "--bf16");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("3 trial(s) came from the saved search; 1 ran now", again.StandardOutput);
        Assert.Contains("trial 3 (4 of 4)", again.StandardOutput);
        Assert.DoesNotContain("trial 0 (1 of 4)", again.StandardOutput);
        var refused = Tune(folder, "--trials", "4");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("holds a search already; add --resume to continue it", refused.StandardError);
        var withoutBf16 = Tune(folder, "--trials", "5", "--resume");   // the trials so far trained in bf16
        Assert.Equal(2, withoutBf16.ExitCode);
        Assert.Contains("cannot resume the search", withoutBf16.StandardError);
        var other = Tune(folder, "--trials", "5", "--resume", "--epochs", "1:3", "--bf16");
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("cannot resume the search", other.StandardError);

        // train --config takes the file's values, and an option given on the command line wins.
        var train = CommandLineTests.Typedbert(folder.Path, "train", "--config", Path.Combine("search", "best.json"), "--data", "train.tsv", "--output", "m2",
            "--epochs", "1", "--no-checkpoints", "--no-plots", "--no-model-card", "--json", "-");
        Assert.True(train.ExitCode == 0, train.ToString());
        using var json = JsonDocument.Parse(train.StandardOutput);
        Assert.Equal("tiny", json.RootElement.GetProperty("base_model").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("options").GetProperty("epochs").GetInt32());
        Assert.Equal(best.LearningRate, json.RootElement.GetProperty("options").GetProperty("learning_rate").GetDouble());
        Assert.Equal(best.WeightDecay, json.RootElement.GetProperty("options").GetProperty("weight_decay").GetDouble());
        Assert.Equal(24, json.RootElement.GetProperty("options").GetProperty("max_length").GetInt32());
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void Bad_input_is_refused_before_any_training_with_the_option_and_the_fix()
    {
        using var folder = Prepare();
        File.WriteAllLines(folder.File("dev.tsv"), ["text\tlabel", "a fine film\tPositive", "so so\tNeutral"]);
        (string[] Arguments, string Message)[] cases =
        [
            (["--learning-rate", "0:1e-4"], "--learning-rate: learning_rate is searched on a log scale, so its minimum must be above 0, not 0"),
            (["--learning-rate", "1e-5:2"], "--learning-rate: learning_rate = 2: LearningRate must be in (0, 1), not 2"),
            (["--epochs", "3:1"], "--epochs: epochs minimum 3 is above its maximum 1; write MIN:MAX"),
            (["--epochs", "1:two"], "--epochs 1:two: \"two\" is not a whole number"),
            (["--pooling", ","], "--pooling: pooling has an empty choice"),
            (["--warmup-ratio", "0:1"], "--warmup-ratio: warmup_ratio = 1: WarmupRatio must be in [0, 1), not 1"),
            (["--trials", "0"], "--trials 0: the search budget allows 0 trials; give at least 1"),
            (["--time-limit", "soon"], "--time-limit soon: write a duration such as 45s, 90m, 2h or 1:30:00"),
            (["--eval", "dev.tsv"], "--eval dev.tsv:3: unknown label \"Neutral\" (known: Negative, Positive, or an id 0..1; closest: Negative); the training file train.tsv has no example of it: correct the label, add examples of it to train.tsv"),
            (["--test", "test.tsv"], "--test test.tsv: the test file is scored once, by the retrained best configuration; add --retrain-best"),
            (["--resume"], "--resume: there is no search to continue"),
            (["--problem-type", "MultiLabel", "--label-smoothing", "0:0.1"], "--label-smoothing: label_smoothing = 0.1: label smoothing applies to single-label classification"),
        ];
        foreach (var (arguments, message) in cases)
        {
            var result = Tune(folder, arguments.Contains("--trials") ? arguments : ["--trials", "2", .. arguments]);
            // A bad data file exits with 1, a bad option with 2.
            Assert.True(result.ExitCode == (arguments.Contains("--eval") ? 1 : 2), $"{string.Join(" ", arguments)}: {result}");
            Assert.Contains("error: " + message, result.StandardError);
            Assert.DoesNotContain("   at ", result.StandardError);                      // no stack trace
            Assert.False(File.Exists(folder.File(Path.Combine("search", "study.json"))), $"{string.Join(" ", arguments)} started a search");
        }
    }

    [SkippableFact]
    public void On_AG_News_without_a_development_split_the_search_evaluates_on_a_slice_of_train_and_the_retrain_scores_test_once()
    {
        string shared = TestPaths.RequireSharedData();
        using var folder = Prepare();
        string train = Path.Combine(shared, "agnews", "train.tsv"), test = Path.Combine(shared, "agnews", "test.tsv");
        var run = Tune(folder, "--data", train, "--test", test, "--retrain-best", "--train-rows", "40", "--eval-fraction", "0.02", "--epochs", "1", "--trials", "2");
        Assert.True(run.ExitCode == 0, run.ToString());
        int rows = File.ReadLines(train).Count() - 1;
        int slice = (int)Math.Round(0.02 * rows);
        Assert.Contains($"evaluating on 2 % of {train} ({slice} rows, --eval-fraction 0.02 --split-seed 42)", run.StandardOutput);
        Assert.Contains($"training on 40 of {rows - slice} training rows of {train} (--train-rows 40 --split-seed 42)", run.StandardOutput);
        using var retrain = JsonDocument.Parse(File.ReadAllText(folder.File(Path.Combine("search", "retrain.json"))));
        Assert.Equal(rows, retrain.RootElement.GetProperty("train_examples").GetInt32());          // the retrain uses every row
        Assert.Equal(File.ReadLines(test).Count() - 1, retrain.RootElement.GetProperty("test").GetProperty("count").GetInt32());
        Assert.Equal(["Business", "Sci/Tech", "Sports", "World"], retrain.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
    }
}
