namespace TypedBert.Training;

/// <summary>
/// Where the training loop's time went, summed over the steps of this call to <see cref="Trainer.Train"/> (a resumed run
/// counts only the steps it took itself). On a CPU device libtorch runs each operation before returning, so the phases are
/// exact; on CUDA, kernels run asynchronously and time lands in whichever phase next waits for the device.
/// </summary>
/// <param name="Forward">Batch tensors, the forward pass and the loss.</param>
/// <param name="Backward">The backward pass.</param>
/// <param name="GradientClipping">The global gradient norm and its scaling.</param>
/// <param name="Optimizer">The AdamW update and dropping the gradients.</param>
/// <param name="Checkpoints">Writing checkpoints, those at the end of epochs included.</param>
public sealed record StepTimings(TimeSpan Forward, TimeSpan Backward, TimeSpan GradientClipping, TimeSpan Optimizer, TimeSpan Checkpoints)
{
    /// <summary>No time spent.</summary>
    public static StepTimings Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The sum of the phases.</summary>
    public TimeSpan Total => Forward + Backward + GradientClipping + Optimizer + Checkpoints;
}
