using System.Globalization;
using TypedBert.Classification;
using TypedBert.Serialization;

namespace TypedBert.Training.Checkpoints;

/// <summary>
/// The checkpoints of a training run: folders <c>checkpoint-STEP</c> under one root, each a complete model folder (loadable by
/// <see cref="TextClassifier.Load(string, PredictionSettings, TorchSharp.torch.Device?)"/> and by transformers) plus <c>optimizer.safetensors</c> and <c>trainer_state.json</c>.
/// Each folder is written atomically, so a crash mid-write leaves the earlier checkpoints intact.
/// </summary>
public static class CheckpointStore
{
    const string Prefix = "checkpoint-";
    internal const string OptimizerFile = "optimizer.safetensors";

    /// <summary>
    /// Test hook for crash tests: when this environment variable holds a number of milliseconds, every checkpoint write pauses that
    /// long after the model file is written and before the folder is complete, so a test can kill the process mid-write.
    /// </summary>
    public const string PauseVariable = "TYPEDBERT_FAULT_CHECKPOINT_PAUSE_MS";

    /// <summary>
    /// Test hook for crash tests: when set to an optimizer step, only that step's checkpoint pauses (for <see cref="PauseVariable"/>), so
    /// a test can hold the process mid-write for as long as it needs, with no window to hit, while earlier checkpoints complete.
    /// </summary>
    public const string PauseStepVariable = "TYPEDBERT_FAULT_CHECKPOINT_PAUSE_STEP";

    /// <summary>The newest complete checkpoint under <paramref name="root"/>, or null when there is none.</summary>
    public static string? FindLatest(string root)
    {
        if (!Directory.Exists(root)) return null;
        Recover(root);
        return Complete(root).OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefault();
    }

    /// <summary>
    /// Puts back a checkpoint whose replacement was interrupted between its two renames, and deletes the staging folders of
    /// writes that never finished.
    /// </summary>
    static void Recover(string root)
    {
        foreach (var folder in Directory.GetDirectories(root, "." + Prefix + "*"))
        {
            string name = Path.GetFileName(folder);
            int previous = name.IndexOf(".previous-", StringComparison.Ordinal);
            if (previous > 0)
            {
                string target = Path.Combine(root, name[1..previous]);
                if (!Directory.Exists(target)) { Directory.Move(folder, target); continue; }
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    static IEnumerable<(int Step, string Path)> Complete(string root) =>
        Directory.GetDirectories(root, Prefix + "*")
            .Select(path => (Parsed: int.TryParse(Path.GetFileName(path)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int step), Step: step, Path: path))
            .Where(c => c.Parsed && File.Exists(Path.Combine(c.Path, TrainerStateFile.FileName)))
            .Select(c => (c.Step, c.Path));

    /// <summary>The folder name of the checkpoint written at optimizer step <paramref name="step"/>.</summary>
    internal static string NameFor(int step) => Prefix + step.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes checkpoint <paramref name="state"/>.GlobalStep and returns its folder name; <paramref name="writeMore"/> adds files to the
    /// staging folder (the training callbacks' own state), so that they become complete together with the rest.
    /// </summary>
    internal static string Save(string root, TextClassifier classifier, AdamWOptimizer optimizer, TrainerStateFile state, Action<string>? writeMore = null)
    {
        Directory.CreateDirectory(root);
        Recover(root);
        string name = NameFor(state.GlobalStep);
        AtomicDirectory.Write(Path.Combine(root, name), staging =>
        {
            classifier.WriteFiles(staging);
            if (int.TryParse(Environment.GetEnvironmentVariable(PauseVariable), out int pause) && pause > 0
                && (!int.TryParse(Environment.GetEnvironmentVariable(PauseStepVariable), out int pauseStep) || pauseStep == state.GlobalStep))
                Thread.Sleep(pause);
            optimizer.Save(Path.Combine(staging, OptimizerFile));
            writeMore?.Invoke(staging);
            AtomicFile.WriteAllText(Path.Combine(staging, TrainerStateFile.FileName), state.ToJson());
        });
        return name;
    }

    /// <summary>Deletes the oldest checkpoints beyond <paramref name="keep"/>, never the one named <paramref name="best"/>.</summary>
    internal static void Rotate(string root, int keep, string? best)
    {
        var newestFirst = Complete(root).OrderByDescending(c => c.Step).ToList();
        foreach (var (_, path) in newestFirst.Skip(keep))
            if (Path.GetFileName(path) != best) Directory.Delete(path, recursive: true);
    }
}
