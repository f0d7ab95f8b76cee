using TypedBert.Classification;

namespace TypedBert.Server.Batching;

/// <summary>One request's texts waiting for a batch, and where its predictions go.</summary>
internal sealed class PendingRequest(string[] texts, CancellationToken aborted)
{
    public string[] Texts { get; } = texts;

    public CancellationToken Aborted { get; } = aborted;

    public TaskCompletionSource<IReadOnlyList<Prediction>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
