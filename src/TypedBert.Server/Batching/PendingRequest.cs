using System.Diagnostics;
using TypedBert.Classification;

namespace TypedBert.Server.Batching;

/// <summary>One request's texts waiting for a batch, and where its predictions go.</summary>
internal sealed class PendingRequest(string[] texts, CancellationToken aborted)
{
    public string[] Texts { get; } = texts;

    public CancellationToken Aborted { get; } = aborted;

    public TaskCompletionSource<IReadOnlyList<Prediction>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When it was queued (<see cref="Stopwatch.GetTimestamp"/>): its queue wait ends when its batch starts.</summary>
    public long Queued { get; } = Stopwatch.GetTimestamp();

    /// <summary>The request's span, under which its queue wait and model time are traced (default: none).</summary>
    public ActivityContext Trace { get; } = Activity.Current?.Context ?? default;
}
