using TypedBert.Pretrained;
using TypedBert.Serialization;
using TypedBert.Training.Checkpoints;
using static TorchSharp.torch;

namespace TypedBert.Training.Callbacks;

/// <summary>
/// Writes a checkpoint into <see cref="TrainingOptions.CheckpointDirectory"/> when a callback asks for one (see
/// <see cref="CheckpointAndReportSchedule"/>), keeping <see cref="TrainingOptions.SaveTotalLimit"/> and the best one; and resumes a run
/// from one (<see cref="Resume"/>).
/// </summary>
internal static class Checkpointing
{

    /// <summary>
    /// Puts a checkpoint's weights, optimizer moments, random state, position and history into <paramref name="context"/>. The
    /// trainer calls this before any callback's <see cref="ITrainingCallback.OnTrainBegin"/>, so every callback starts from the
    /// resumed state whatever its place in the list.
    /// </summary>
    public static void Resume(TrainingContext context, string checkpoint)
    {
        string stateFile = Path.Combine(checkpoint, TrainerStateFile.FileName);
        if (!File.Exists(stateFile)) throw new FileNotFoundException($"{checkpoint} is not a complete checkpoint: {TrainerStateFile.FileName} is missing", stateFile);
        var state = TrainerStateFile.Read(stateFile);
        var differences = state.Run.Differences(context.Fingerprint);
        if (differences.Count > 0)
            throw new InvalidOperationException($"cannot resume from {checkpoint}: the run differs from the one that wrote it ({string.Join("; ", differences)})");
        using (var file = SafeTensorsFile.Open(Path.Combine(checkpoint, "model.safetensors"))) StateDict.Load(context.Classifier.Model, file);
        context.Optimizer.Load(Path.Combine(checkpoint, CheckpointStore.OptimizerFile));
        using (var random = tensor(Convert.FromBase64String(state.RandomState), ScalarType.Byte)) set_rng_state(random);
        var run = context.Run;
        run.Restore(state);
        foreach (var record in state.History)
        {
            if (record.EvalLogits is not null && context.Eval is null)
                throw new InvalidOperationException($"cannot resume from {checkpoint}: it was evaluated each epoch, but no evaluation data was given");
            var evaluation = record.EvalLogits is null ? null : Evaluation.FromLogits(context.Classifier, context.Eval!, record.EvalLogits);
            run.Summaries.Add(new EpochSummary(record.Epoch, record.TrainingLoss, record.LearningRate, evaluation, TimeSpan.FromSeconds(record.ElapsedSeconds)));
        }
        foreach (var callback in context.Callbacks) callback.OnLoadCheckpoint(context, checkpoint);
    }

    /// <summary>Writes the run's checkpoint now, each callback's state with it; the best one survives rotation.</summary>
    public static void Save(TrainingContext context)
    {
        context.Phases.Checkpoints.Start();
        string root = context.Options.CheckpointDirectory!;
        if (!AllFinite(context)) throw context.Diverged("a weight stopped being finite");
        using (var random = get_rng_state())
        {
            var state = context.Run.ToState(context.Fingerprint, Convert.ToBase64String(random.bytes), context.Elapsed, context.Training);
            CheckpointStore.Save(root, context.Classifier, context.Optimizer, state,
                staging => { foreach (var callback in context.Callbacks) callback.OnSaveCheckpoint(context, staging); });
        }
        if (context.Options.SaveTotalLimit is int keep) CheckpointStore.Rotate(root, keep, context.Run.BestCheckpoint);
        context.Phases.Checkpoints.Stop();
    }

    static bool AllFinite(TrainingContext context)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return context.Classifier.Model.parameters().All(p => isfinite(p).all().item<bool>());
    }
}
