using TypedBert.Server.Batching;
using TypedBert.Server.Repository;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The model <c>/predict</c> and <c>/model</c> serve while the labelling page is on: the one the server started with, until a retrain
/// gives a better one. A swap publishes the new version before letting go of the old one; each request holds a lease on the version
/// it started with, and the last lease of a replaced retrained version disposes it (its batcher answers what is queued first), as the
/// model repository does (<see cref="ServedVersion"/>). The start model belongs to the service container and is never disposed here.
/// </summary>
internal sealed class LiveModel(ServedModel startModel, PredictionBatcher startBatcher) : IDisposable
{
    ServedVersion? retrained;
    int generation;

    /// <summary>How many times a retrained model was put in service.</summary>
    public int Generation => Volatile.Read(ref generation);

    /// <summary>The model in service and its batcher, leased until the lease is disposed.</summary>
    public Lease Acquire()
    {
        while (true)
        {
            var version = Volatile.Read(ref retrained);
            if (version is null) return new Lease(startModel, startBatcher, null);
            if (version.TryAcquire()) return new Lease(version.Model, version.Batcher, version);
            // Replaced and let go of between the read and the lease: the new one is already published.
        }
    }

    /// <summary>Puts <paramref name="next"/> in service; the retrained version it replaces is disposed once its last request has finished.</summary>
    public void Swap(ServedVersion next)
    {
        var old = Interlocked.Exchange(ref retrained, next);
        Interlocked.Increment(ref generation);
        old?.Release();
    }

    /// <summary>Lets go of the retrained version in service (at shutdown).</summary>
    public void Dispose() => Interlocked.Exchange(ref retrained, null)?.Release();

    /// <summary>A model and its batcher, in service when leased.</summary>
    internal readonly struct Lease(ServedModel model, PredictionBatcher batcher, ServedVersion? version) : IDisposable
    {
        public ServedModel Model { get; } = model;

        public PredictionBatcher Batcher { get; } = batcher;

        public void Dispose() => version?.Release();
    }
}
