using TypedBert.Training;

/// <summary>
/// Prints training progress as it happens: about ten lines a run, plus each epoch's evaluation. Called on the training
/// thread, so the lines come in order (Progress&lt;T&gt; would post them to the thread pool). <see cref="Latest"/> is the
/// last report, for whoever asks how far training is.
/// </summary>
sealed class TrainingLog : IProgress<TrainingProgress>
{
    volatile TrainingProgress? latest;

    /// <summary>The last report; null before the first step.</summary>
    public TrainingProgress? Latest => latest;

    public void Report(TrainingProgress value)
    {
        latest = value;
        int every = Math.Max(1, value.TotalSteps / 10);
        if (value.Evaluation is { } evaluation)
            Console.WriteLine($"epoch {value.Epoch}/{value.Epochs}: {evaluation}");
        else if (value.Step % every == 0 || value.Step == value.TotalSteps)
            Console.WriteLine($"step {value.Step}/{value.TotalSteps}, epoch {value.Epoch}/{value.Epochs}: training loss {value.Loss:0.0000}, " +
                $"{value.Elapsed.TotalSeconds:0} s, about {value.Remaining.TotalSeconds:0} s left");
    }
}
