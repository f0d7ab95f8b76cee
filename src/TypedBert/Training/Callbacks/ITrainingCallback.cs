namespace TypedBert.Training.Callbacks;

/// <summary>
/// A policy of the training loop (transformers' <c>TrainerCallback</c>): the loop in <see cref="Trainer.Train"/> does forward, backward,
/// clipping and the optimizer step; best-model tracking, early stopping, weight averaging, the checkpoint and report schedule are
/// callbacks. A callback reads the run's state in <see cref="TrainingContext"/> and passes its decisions to the loop and to the other
/// callbacks through the <see cref="TrainerControl"/> of the events that decide (step end, evaluation, epoch end); the loop then writes
/// the checkpoint, reports progress or stops. Decisions made at an epoch's evaluation are there for every callback at its end.
/// </summary>
internal interface ITrainingCallback
{
    /// <summary>Before the first batch; a resumed run already has its state back (see <see cref="Checkpointing.Resume"/>).</summary>
    void OnTrainBegin(TrainingContext context) { }

    /// <summary>Before the first batch of an epoch (also of a resumed, partly done epoch).</summary>
    void OnEpochBegin(TrainingContext context) { }

    /// <summary>After the forward and backward pass of one micro-batch, with its (finite) loss.</summary>
    void OnBatchEnd(TrainingContext context, float loss) { }

    /// <summary>After an optimizer step; <paramref name="lastOfEpoch"/> says the epoch's end follows at once. May ask for a checkpoint or a report.</summary>
    void OnStepEnd(TrainingContext context, TrainerControl control, bool lastOfEpoch) { }

    /// <summary>
    /// After the epoch's last optimizer step, before its evaluation: the place to put the weights that are evaluated and saved (an average
    /// of the weights) into the model. They stay there through the epoch's end and its checkpoint.
    /// </summary>
    void OnEpochTrainingEnd(TrainingContext context) { }

    /// <summary>
    /// After an epoch's evaluation (<paramref name="evaluation"/> null without evaluation data), the epoch already recorded in the run's
    /// history: the place to judge it (<see cref="TrainerControl.IsNewBest"/>).
    /// </summary>
    void OnEvaluate(TrainingContext context, TrainerControl control, EvaluationResult? evaluation) { }

    /// <summary>After every callback has judged the epoch: the place to act on the judgement (stop, ask for a checkpoint or a report).</summary>
    void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch) { }

    /// <summary>When a callback asked for a report: after a step (<paramref name="epoch"/> null), or at an epoch's end.</summary>
    void OnLog(TrainingContext context, EpochEnd? epoch) { }

    /// <summary>After the last epoch (or the early stop), before the result is built; not called when training throws.</summary>
    void OnTrainEnd(TrainingContext context) { }

    /// <summary>
    /// While a checkpoint is written, after the model, optimizer and trainer state: writes the callback's own state into
    /// <paramref name="folder"/> (the checkpoint's staging folder, made complete atomically with everything in it).
    /// </summary>
    void OnSaveCheckpoint(TrainingContext context, string folder) { }

    /// <summary>
    /// When a run resumes, after the checkpoint's weights, optimizer moments and position are back and before <see cref="OnTrainBegin"/>:
    /// reads the callback's state from <paramref name="folder"/>; throws, naming what is missing, when the checkpoint lacks it.
    /// </summary>
    void OnLoadCheckpoint(TrainingContext context, string folder) { }

    /// <summary>Always, last: releases what the callback holds (snapshots of weights), whether training ended or threw.</summary>
    void OnCleanup(TrainingContext context) { }
}
