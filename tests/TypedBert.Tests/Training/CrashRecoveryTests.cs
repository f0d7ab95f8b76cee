using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Serialization;
using TypedBert.Training.Checkpoints;

namespace TypedBert.Tests.Training;

/// <summary>Kills a real <c>typedbert train</c> process with SIGKILL in the middle of a checkpoint write, then resumes it.</summary>
public sealed class CrashRecoveryTests
{
    static string CliAssembly()
    {
        // bin/<Configuration>/<TargetFramework>/ of this test assembly names the build the CLI was built with.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(TestPaths.RepositoryRoot, "src", "TypedBert.Cli", "bin", output.Parent!.Name, output.Name, "TypedBert.Cli.dll");
        Assert.True(File.Exists(path), $"{path} is missing; build the solution first");
        return path;
    }

    static Process StartTrain(string workDirectory, string output, bool resume, bool checkpoints, int? pauseInCheckpointOfStep)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            CliAssembly(), "train", "--data", "train.tsv", "--output", output, "--epochs", "2", "--batch-size", "4", "--max-length", "32",
            "--learning-rate", "1e-4", "--seed", "5", "--freeze-embeddings", "--save-steps", "3", "--save-total-limit", "3",
        }) start.ArgumentList.Add(argument);
        if (resume) start.ArgumentList.Add("--resume");
        if (!checkpoints) start.ArgumentList.Add("--no-checkpoints");
        // The paused checkpoint waits ten minutes, far beyond the test's own limits: the test kills the process during the pause, so it
        // never needs to catch a window, however slowly the machine runs.
        start.Environment[CheckpointStore.PauseVariable] = pauseInCheckpointOfStep is null ? "" : "600000";
        start.Environment[CheckpointStore.PauseStepVariable] = pauseInCheckpointOfStep?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
        return Process.Start(start)!;
    }

    static string Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "typedbert train did not finish within 5 minutes");
        string log = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"typedbert train exited with {process.ExitCode}:\n{log}");
        return log;
    }

    [Fact]
    public void A_run_killed_while_writing_a_checkpoint_resumes_from_the_previous_one_and_ends_like_an_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        var lines = File.ReadLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv")).Take(41);
        File.WriteAllLines(folder.File("train.tsv"), lines); // header + 40 rows: 10 batches per epoch
        string checkpoints = folder.File("model.checkpoints");

        // Run 1: checkpoint-3 completes, checkpoint-6 pauses after model.safetensors; kill it while checkpoint-6 is half written.
        using (var crashing = StartTrain(folder.Path, "model", resume: false, checkpoints: true, pauseInCheckpointOfStep: 6))
        {
            _ = crashing.StandardOutput.ReadToEndAsync();
            _ = crashing.StandardError.ReadToEndAsync();
            var deadline = Stopwatch.StartNew();
            while (!HalfWritten(checkpoints, "checkpoint-6"))
            {
                Assert.False(crashing.HasExited, $"typedbert train exited with {(crashing.HasExited ? crashing.ExitCode : 0)} before checkpoint-6 was being written");
                Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(4), "checkpoint-6 was never being written");   // a bound against hanging, not a speed requirement
                Thread.Sleep(20);
            }
            crashing.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushing
            crashing.WaitForExit();
        }
        Assert.False(Directory.Exists(folder.File("model")), "the killed run must not have written a final model");
        Assert.Contains(Directory.GetDirectories(checkpoints), d => Path.GetFileName(d).StartsWith(".checkpoint-6.staging-", StringComparison.Ordinal));

        string latest = CheckpointStore.FindLatest(checkpoints)!;
        Assert.Equal("checkpoint-3", Path.GetFileName(latest));
        Assert.DoesNotContain(Directory.GetDirectories(checkpoints), d => Path.GetFileName(d).StartsWith('.'));
        using (var fromCheckpoint = TextClassifier.Load(latest))
            Assert.Equal(2, fromCheckpoint.Predict("the checkpoint works").Scores.Length);

        // Run 2 resumes from checkpoint-3; run 3 never stops and writes no checkpoints.
        string resumedLog = Finish(StartTrain(folder.Path, "model", resume: true, checkpoints: true, pauseInCheckpointOfStep: null));
        Assert.Contains("resuming from", resumedLog);
        Finish(StartTrain(folder.Path, "reference", resume: false, checkpoints: false, pauseInCheckpointOfStep: null));

        using var resumed = SafeTensorsFile.Open(Path.Combine(folder.File("model"), "model.safetensors"));
        using var reference = SafeTensorsFile.Open(Path.Combine(folder.File("reference"), "model.safetensors"));
        Assert.Equal(reference.Tensors.Keys.Order(), resumed.Tensors.Keys.Order());
        foreach (var name in reference.Tensors.Keys)
        {
            using var a = resumed.Load(name);
            using var b = reference.Load(name);
            using var difference = (a - b).abs().max();
            Assert.True(difference.item<float>() <= 1e-6, $"{name} differs by {difference.item<float>()} between the resumed and the uninterrupted run");
        }
    }

    /// <summary>Whether the staging folder of <paramref name="checkpoint"/> exists and already holds its model file.</summary>
    static bool HalfWritten(string root, string checkpoint) =>
        Directory.Exists(root) && Directory.GetDirectories(root, $".{checkpoint}.staging-*").Any(d => File.Exists(Path.Combine(d, "model.safetensors")));
}
