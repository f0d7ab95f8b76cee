namespace TypedBert.Training;

/// <summary>
/// Training stopped because the loss, a gradient or a weight stopped being finite (NaN or infinity). Nothing was written after the
/// last finite state: <see cref="LastCheckpoint"/>, when there is one, holds the last good weights to resume from.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Describes the divergence at <paramref name="step"/> of <paramref name="epoch"/>.</summary>
    public TrainingDivergedException(string what, int epoch, int step, string? lastCheckpoint)
        : base($"training diverged at step {step} (epoch {epoch}): {what}. "
            + (lastCheckpoint is null ? "No checkpoint was written before it. " : $"The last good checkpoint is {lastCheckpoint}. ")
            + "Lower the learning rate, keep gradient clipping on (MaxGradNorm), or check the data for extreme values.")
    {
        Epoch = epoch;
        Step = step;
        LastCheckpoint = lastCheckpoint;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The optimizer step that failed, from 1.</summary>
    public int Step { get; }

    /// <summary>The newest checkpoint written before the failure, or null.</summary>
    public string? LastCheckpoint { get; }
}
