using System.Text.Json;
using TypedBert.Cli.Reporting;

namespace TypedBert.Tests.Cli;

/// <summary>
/// Trains a tiny classifier once per test run with the real <c>typedbert</c> executable, for the tests of its output. Each test class
/// gets its own copy of the folder (the data and the trained model), so that what one class writes there another never sees, while
/// the training itself (a process of about half a minute) runs once instead of once per class.
/// </summary>
public sealed class TrainedCliModel : IDisposable
{
    static readonly Lazy<(string Folder, ProcessResult Train)> Trained = new(TrainOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    static (string Folder, ProcessResult Train) TrainOnce()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-cli-trained-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(folder, recursive: true); } catch (IOException) { } };
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv"));
        // 24 training rows and 10 held-out rows, both labels in each.
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), [lines[0], .. lines[1..13], .. lines[^12..]]);
        File.WriteAllLines(Path.Combine(folder, "dev.tsv"), [lines[0], .. lines[13..18], .. lines[^17..^12]]);
        var train = CommandLineTests.Typedbert(folder, "train", "--data", "train.tsv", "--eval", "dev.tsv", "--test", "dev.tsv", "--output", "model",
            "--epochs", "1", "--batch-size", "8", "--max-length", "32", "--dataset", "sentiment-sample", "--json", "-");
        return (folder, train);
    }

    public TrainedCliModel()
    {
        Folder = Directory.CreateTempSubdirectory("typedbert-cli-").FullName;
        var (trained, train) = Trained.Value;
        Train = train;
        // The checkpoints the run left beside the model (model.checkpoints) are not copied: no test reads them.
        foreach (string file in Directory.GetFiles(trained, "*", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(trained, f).StartsWith("model.checkpoints", StringComparison.Ordinal)))
        {
            string copy = Path.Combine(Folder, Path.GetRelativePath(trained, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    public string Folder { get; }

    public ProcessResult Train { get; }

    public string Model => Path.Combine(Folder, "model");

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

public class CommandLineTests(TrainedCliModel trained) : IClassFixture<TrainedCliModel>
{
    internal static ProcessResult Typedbert(string workingDirectory, params string[] arguments) =>
        ProcessRunner.Run(ProcessRunner.Dotnet, [Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), .. arguments], workingDirectory, TimeSpan.FromMinutes(3));

    static void AssertPlain(string text)
    {
        Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);   // no colour or cursor movement
        Assert.DoesNotContain("━", text, StringComparison.Ordinal);        // no progress bar
        Assert.DoesNotContain("╭", text, StringComparison.Ordinal);        // no framed table
    }

    [Fact]
    public void Train_with_json_to_standard_output_prints_only_the_json_there()
    {
        var train = trained.Train;
        Assert.True(train.ExitCode == 0, train.ToString());
        using var json = JsonDocument.Parse(train.StandardOutput);   // throws when anything else is mixed in
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("best_epoch").GetInt32());
        Assert.Equal(3, root.GetProperty("steps").GetInt32());
        Assert.Equal([1, 2, 3], root.GetProperty("log_history").EnumerateArray().Select(e => e.GetProperty("step").GetInt32()));
        Assert.Equal(10, root.GetProperty("test").GetProperty("count").GetInt32());
        // Messages, progress and tables went to standard error, as plain lines.
        Assert.Contains("epoch 1/1  step 3/3", train.StandardError);
        Assert.Contains("best epoch 1; 3 steps; wall time", train.StandardError);
        Assert.Contains("testing: 10/10 done", train.StandardError);
        AssertPlain(train.StandardError);
    }

    [Fact]
    public void Train_writes_plots_and_a_model_card_beside_the_model()
    {
        Assert.True(trained.Train.ExitCode == 0, trained.Train.ToString());
        foreach (var file in new[] { "config.json", "model.safetensors", ModelCardWriter.FileName,
                     TrainingPlots.LossFile, TrainingPlots.LearningRateFile, TrainingPlots.MetricsFile, TrainingPlots.ConfusionMatrixFile })
            Assert.True(File.Exists(Path.Combine(trained.Model, file)), $"{file} missing from the model folder");
        string card = File.ReadAllText(Path.Combine(trained.Model, ModelCardWriter.FileName));
        Assert.StartsWith("---\nlibrary_name: typedbert\nbase_model: \"sentence-transformers/all-MiniLM-L6-v2\"\n", card);
        Assert.Contains("datasets:\n- \"sentiment-sample\"\n", card);
        Assert.Contains("- training: `train.tsv`, 24 examples", card);
        Assert.Contains("| Training Loss | Epoch | Step | Validation Loss | Accuracy |", card);
    }

    [Fact]
    public void Eval_writes_its_json_file_and_plain_tables_when_redirected()
    {
        string jsonPath = Path.Combine(trained.Folder, "eval.json");
        var eval = Typedbert(trained.Folder, "eval", "--model", "model", "--data", "dev.tsv", "--batch-size", "4", "--json", jsonPath);
        Assert.True(eval.ExitCode == 0, eval.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        Assert.Equal(10, json.RootElement.GetProperty("count").GetInt32());
        Assert.Contains("label     precision  recall      f1  support", eval.StandardOutput);
        Assert.Contains($"wrote {jsonPath}", eval.StandardOutput);
        Assert.StartsWith("evaluating: 10\n", eval.StandardError.ReplaceLineEndings("\n"));
        Assert.Contains("evaluating: 10/10 done in", eval.StandardError);
        AssertPlain(eval.StandardOutput + eval.StandardError);
    }

    [Fact]
    public void Predict_from_a_file_counts_its_texts_and_keeps_their_order()
    {
        string texts = Path.Combine(trained.Folder, "texts.txt");
        var lines = Enumerable.Range(0, 70).Select(i => i % 2 == 0 ? $"What a wonderful film, number {i}." : $"A dull and boring mess, number {i}.").ToList();
        File.WriteAllLines(texts, lines);
        var predict = Typedbert(trained.Folder, "predict", "--model", "model", "--file", "texts.txt", "--json", "-");
        Assert.True(predict.ExitCode == 0, predict.ToString());
        using var json = JsonDocument.Parse(predict.StandardOutput);
        Assert.Equal(lines, json.RootElement.EnumerateArray().Select(e => e.GetProperty("text").GetString()));
        Assert.Contains("predicting: 70/70 done in", predict.StandardError);
        AssertPlain(predict.StandardError);
    }

    [Fact]
    public void Predict_takes_a_precision_and_bf16_scores_stay_close_to_fp32()
    {
        Dictionary<string, double>[] Scores(string precision)
        {
            var predict = Typedbert(trained.Folder, "predict", "--model", "model", "--text", "What a wonderful film.", "--text", "A dull and boring mess.",
                "--precision", precision, "--json", "-");
            Assert.True(predict.ExitCode == 0, predict.ToString());
            using var json = JsonDocument.Parse(predict.StandardOutput);
            return [.. json.RootElement.EnumerateArray().Select(e => e.GetProperty("scores").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()))];
        }
        var fp32 = Scores("Float32");
        var bf16 = Scores("BFloat16");
        for (int i = 0; i < fp32.Length; i++)
            foreach (var (label, score) in fp32[i]) Assert.True(Math.Abs(score - bf16[i][label]) < 0.05, $"text {i}, {label}: fp32 {score}, bf16 {bf16[i][label]}");
        var bad = Typedbert(trained.Folder, "predict", "--model", "model", "--text", "x", "--precision", "fp8");
        Assert.NotEqual(0, bad.ExitCode);
    }
}
