namespace TypedBert.Training.Callbacks;

/// <summary>
/// The decisions callbacks make for the loop, as transformers' <c>TrainerControl</c>: a callback sets a flag, and the loop acts on
/// it once every callback has seen the event (it writes the checkpoint, reports progress, stops). The loop clears the per-event
/// flags after acting, so a decision never leaks into the next event; no callback reads another's private state.
/// </summary>
internal sealed class TrainerControl
{
    /// <summary>Stop after the current epoch's end (its checkpoint and report still happen). Stays set once set.</summary>
    public bool ShouldTrainingStop { get; set; }

    /// <summary>Write a checkpoint after this event.</summary>
    public bool ShouldSave { get; set; }

    /// <summary>Report progress after this event.</summary>
    public bool ShouldLog { get; set; }

    /// <summary>
    /// Decided at an epoch's evaluation (<see cref="ITrainingCallback.OnEvaluate"/>): the evaluation beat every earlier one. Read at the
    /// epoch's end by the policies that depend on it (early stopping) and by the loop, which records the epoch's checkpoint as the best.
    /// </summary>
    public bool IsNewBest { get; set; }

    /// <summary>Clears the per-event decisions once the loop has acted on them.</summary>
    public void EventHandled()
    {
        ShouldSave = false;
        ShouldLog = false;
        IsNewBest = false;
    }
}
