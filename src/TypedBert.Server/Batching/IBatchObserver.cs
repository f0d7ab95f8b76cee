using TypedBert.Classification;

namespace TypedBert.Server.Batching;

/// <summary>Told about every batch the batcher ran, for metrics and traces; called on the batcher's loop, so it must be quick.</summary>
internal interface IBatchObserver
{
    /// <param name="batch">The requests of the batch, in order.</param>
    /// <param name="predictions">Their predictions, one per text, in the same order.</param>
    /// <param name="started">When the forward pass started (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
    /// <param name="ended">When it ended.</param>
    void BatchPredicted(IReadOnlyList<PendingRequest> batch, IReadOnlyList<Prediction> predictions, long started, long ended);
}
