using TypedBert.Training.Checkpoints;

namespace TypedBert.Training.Callbacks;

/// <summary>
/// The one list of callbacks of a run and the control they decide through (transformers' <c>CallbackHandler</c>): every event goes to
/// every callback in list order, with the same <see cref="TrainerControl"/>.
/// </summary>
internal sealed class CallbackHandler(IReadOnlyList<ITrainingCallback> callbacks)
{
    /// <summary>The callbacks, in the order they see each event.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; } = callbacks;

    /// <summary>The decisions of the run so far.</summary>
    public TrainerControl Control { get; } = new();

    /// <summary>Tells every callback of one event.</summary>
    public TrainerControl Raise(Action<ITrainingCallback, TrainerControl> callbackEvent)
    {
        foreach (var callback in Callbacks) callbackEvent(callback, Control);
        return Control;
    }

    /// <summary>
    /// Does what the callbacks decided about the event just raised, in a fixed order: the stop is recorded (the checkpoint keeps it), the
    /// checkpoint written (recorded as the best when the evaluation was), the report made; then the event's decisions are cleared.
    /// </summary>
    /// <param name="context">The run.</param>
    /// <param name="epoch">The epoch's end, or null after a step.</param>
    public void Act(TrainingContext context, EpochEnd? epoch)
    {
        var run = context.Run;
        if (epoch is not null && Control.ShouldTrainingStop) run.StoppedEarly = true;
        if (Control.ShouldSave)
        {
            if (Control.IsNewBest) run.BestCheckpoint = CheckpointStore.NameFor(run.Step);
            Checkpointing.Save(context);
        }
        if (Control.ShouldLog) Raise((c, _) => c.OnLog(context, epoch));
        Control.EventHandled();
    }
}
