using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>
/// <c>typedbert predict --input --output --shard</c> as a batch job runs it (the real executable): shards concatenate byte for byte to
/// one process's output, whose scores equal the library's; a run killed with SIGKILL resumes without scoring its finished chunks again
/// and ends with the same bytes; a changed input and a shard like 5/4 are refused with one clear line.
/// </summary>
public partial class CorpusScoringTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    [Fact]
    public void Shards_concatenate_to_the_single_process_output_which_matches_the_library()
    {
        using var folder = new TemporaryFolder();
        string model = SaveTinyModel(folder);
        string input = WriteCorpus(folder, 120);

        var single = Cli(folder, "predict", "--model", model, "--input", input, "--output", folder.File("all.jsonl"), "--chunk-size", "16");
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.Matches(@"texts/s, ETA \d\d:\d\d:\d\d", single.StandardError);
        var parts = new List<byte>();
        for (int i = 0; i < 3; i++)
        {
            var shard = Cli(folder, "predict", "--model", model, "--input", input, "--output", folder.File($"part-{i}.jsonl"), "--chunk-size", "16", "--shard", $"{i}/3");
            Assert.True(shard.ExitCode == 0, shard.ToString());
            parts.AddRange(File.ReadAllBytes(folder.File($"part-{i}.jsonl")));
        }
        byte[] whole = File.ReadAllBytes(folder.File("all.jsonl"));
        Assert.Equal(whole, parts.ToArray());
        Assert.False(Directory.Exists(folder.File("all.jsonl.parts")));

        // The independent oracle: the library's own predictions for the same texts.
        var lines = File.ReadAllLines(folder.File("all.jsonl"));
        Assert.Equal(120, lines.Length);
        using var classifier = TextClassifier.Load(model);
        var expected = classifier.PredictBatch([.. Enumerable.Range(0, 120).Select(Text)]);
        for (int i = 0; i < lines.Length; i += 17)
        {
            using var json = JsonDocument.Parse(lines[i]);
            Assert.Equal(i, json.RootElement.GetProperty("index").GetInt64());
            Assert.Equal($"doc-{i}", json.RootElement.GetProperty("id").GetString());
            Assert.Equal(expected[i].Label, json.RootElement.GetProperty("label").GetString());
            Assert.Equal(expected[i].ScoreOf("positive"), json.RootElement.GetProperty("scores").GetProperty("positive").GetSingle(), 5);
        }

        var tooFar = Cli(folder, "predict", "--model", model, "--input", input, "--output", folder.File("x.jsonl"), "--shard", "5/4");
        Assert.Equal(2, tooFar.ExitCode);
        Assert.Contains("--shard 5/4: the index must be from 0 to 3", tooFar.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_killed_half_way_resumes_without_scoring_its_finished_chunks_again()
    {
        using var folder = new TemporaryFolder();
        string model = SaveModel(folder);
        const int Texts = 1600, ChunkSize = 40, Chunks = Texts / ChunkSize;
        string input = WriteCorpus(folder, Texts);
        string output = folder.File("scores.jsonl");
        string parts = output + ".parts";
        string[] arguments = ["predict", "--model", model, "--input", input, "--output", output, "--chunk-size", ChunkSize.ToString(CultureInfo.InvariantCulture)];

        var start = new ProcessStartInfo(ProcessRunner.Dotnet) { WorkingDirectory = folder.Path, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in (string[])[Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), .. arguments]) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using (var killed = Process.Start(start)!)
        {
            _ = killed.StandardError.ReadToEndAsync();
            _ = killed.StandardOutput.ReadToEndAsync();
            var clock = Stopwatch.StartNew();
            while (ChunkFiles(parts) < 3 && !killed.HasExited && clock.Elapsed < HangGuard) await Task.Delay(10);
            Assert.False(killed.HasExited, "the run finished before it could be killed: give it more texts");
            killed.Kill();
            await killed.WaitForExitAsync();
        }
        int finished = ChunkFiles(parts);
        Assert.InRange(finished, 3, Chunks - 1);
        Assert.False(File.Exists(output));

        // The input changed (its modification time): refused, nothing scored, the chunks kept.
        var modified = File.GetLastWriteTimeUtc(input);
        File.SetLastWriteTimeUtc(input, modified.AddMinutes(1));
        var changed = Cli(folder, arguments);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains($"{input} has changed since", changed.StandardError, StringComparison.Ordinal);
        Assert.Equal(finished, ChunkFiles(parts));
        File.SetLastWriteTimeUtc(input, modified);

        var resumed = Cli(folder, arguments);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"resuming, {finished} of {Chunks} chunks already scored", resumed.StandardError, StringComparison.Ordinal);
        Assert.Contains($"({Texts - (finished * ChunkSize):N0} scored now", resumed.StandardError, StringComparison.Ordinal);

        var uninterrupted = Cli(folder, "predict", "--model", model, "--input", input, "--output", folder.File("once.jsonl"), "--chunk-size", ChunkSize.ToString(CultureInfo.InvariantCulture));
        Assert.True(uninterrupted.ExitCode == 0, uninterrupted.ToString());
        Assert.Equal(File.ReadAllBytes(folder.File("once.jsonl")), File.ReadAllBytes(output));
    }

    static int ChunkFiles(string parts) => Directory.Exists(parts) ? Directory.GetFiles(parts, "chunk-*.jsonl").Length : 0;

    static string Text(int i) => $"review {i}: " + (i % 3 == 0 ? "a warm and funny film" : i % 3 == 1 ? "dull, far too long" : "fine");

    static string WriteCorpus(TemporaryFolder folder, int count)
    {
        string path = folder.File("corpus.jsonl");
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { id = $"doc-{i}", text = Text(i) })));
        return path;
    }

    static string SaveModel(TemporaryFolder folder)
    {
        string path = folder.File("model");
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        classifier.Save(path);
        return path;
    }

    /// <summary>The tiny BERT fixture (hidden size 32, two layers), where what is tested is the job's bookkeeping, not the model.</summary>
    static string SaveTinyModel(TemporaryFolder folder)
    {
        string path = folder.File("model");
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        classifier.Save(path);
        return path;
    }

    static ProcessResult Cli(TemporaryFolder folder, params string[] arguments) =>
        ProcessRunner.Run(ProcessRunner.Dotnet, [Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), .. arguments], folder.Path, HangGuard);
}
