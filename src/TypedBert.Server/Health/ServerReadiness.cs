namespace TypedBert.Server.Health;

/// <summary>
/// Whether the server should get traffic: <c>/health/ready</c> says yes only between the end of the warm-up and the moment the host
/// starts stopping, so that a load balancer sends nothing to a model still loading or to a process that is draining.
/// </summary>
internal sealed class ServerReadiness
{
    volatile bool warmedUp;
    volatile bool stopping;
    int inFlight;

    public bool IsReady => warmedUp && !stopping;

    /// <summary><c>ready</c>, <c>loading</c> (before the warm-up prediction) or <c>stopping</c> (draining after SIGTERM).</summary>
    public string Status => stopping ? "stopping" : warmedUp ? "ready" : "loading";

    /// <summary>Prediction requests being answered now (read, queued or predicted, not yet written).</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    public void MarkWarmedUp() => warmedUp = true;

    public void MarkStopping() => stopping = true;

    /// <summary>Counts a request in flight until the returned scope is disposed.</summary>
    public InFlightScope Enter()
    {
        Interlocked.Increment(ref inFlight);
        return new InFlightScope(this);
    }

    internal readonly struct InFlightScope(ServerReadiness readiness) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref readiness.inFlight);
    }
}
