namespace TypedBert.Training.Callbacks;

/// <summary>
/// A policy of the training loop (fastai's and Lightning's callbacks): the loop in <see cref="Trainer.Train"/> does forward, backward,
/// clipping and the optimizer step and nothing else; resuming, checkpoints, best-model tracking, early stopping and progress
/// reports are callbacks that read and write the run's state in <see cref="TrainingContext"/>. They run in the order the trainer
/// lists them, which is the order in which a checkpoint must see their effects (the best epoch and the early stop are decided
/// before the epoch's checkpoint records them).
/// </summary>
internal interface ITrainingCallback
{
    /// <summary>Before the first batch; a resumed run already has its state back (see <see cref="Checkpointing.Resume"/>).</summary>
    void OnTrainBegin(TrainingContext context) { }

    /// <summary>Before the first batch of an epoch (also of a resumed, partly done epoch).</summary>
    void OnEpochBegin(TrainingContext context) { }

    /// <summary>After the forward and backward pass of one micro-batch, with its (finite) loss.</summary>
    void OnBatchEnd(TrainingContext context, float loss) { }

    /// <summary>After an optimizer step; <paramref name="lastOfEpoch"/> says the epoch's end follows at once.</summary>
    void OnStepEnd(TrainingContext context, bool lastOfEpoch) { }

    /// <summary>
    /// After the epoch's last optimizer step, before its evaluation: the place to put the weights that are evaluated and saved (an average
    /// of the weights) into the model. They stay there through <see cref="OnEpochEnd"/> and the epoch's checkpoint.
    /// </summary>
    void OnEpochTrainingEnd(TrainingContext context) { }

    /// <summary>After an epoch's evaluation; the epoch is already recorded in the run's history.</summary>
    void OnEpochEnd(TrainingContext context, EpochEnd epoch) { }

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
