using TypedBert.Server.Batching;

namespace TypedBert.Server.Repository;

/// <summary>
/// One loaded version of a repository model and its batcher, counted by leases: the repository holds one reference while the version
/// is current, and each request one while it runs. When the version is replaced, the repository lets go of its reference; the last
/// request to finish then disposes the batcher (which answers what is queued) and the model (freeing its native memory).
/// </summary>
internal sealed class ServedVersion(ServedModel model, PredictionBatcher batcher)
{
    int references = 1;
    readonly TaskCompletionSource disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServedModel Model { get; } = model;

    public PredictionBatcher Batcher { get; } = batcher;

    public DateTimeOffset LoadedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>Completes when the version has been disposed.</summary>
    public Task Disposed => disposed.Task;

    /// <summary>Takes a reference unless the version has already been let go of entirely.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            int current = Volatile.Read(ref references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref references, current + 1, current) == current) return true;
        }
    }

    /// <summary>Gives a reference back; the last one disposes the version.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) == 0) _ = DisposeAsync();
    }

    async Task DisposeAsync()
    {
        try
        {
            await Batcher.DisposeAsync();
            Model.Dispose();
            NativeHeap.Trim();
        }
        finally
        {
            disposed.TrySetResult();
        }
    }
}
