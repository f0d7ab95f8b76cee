using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Server.Batching;

namespace TypedBert.Server.Telemetry;

/// <summary>
/// Turns each batch of one served model (version) into metrics (batch size, queue waits, model time, texts, predicted labels) and,
/// when something listens to <see cref="ServerTelemetry.ActivitySourceName"/>, into two spans under each request's own:
/// <c>typedbert.queue_wait</c> (queued to batch start) and <c>typedbert.model</c> (the forward pass it shared).
/// </summary>
internal sealed class BatchTelemetry(ServerMetrics metrics, string model, string? version) : IBatchObserver
{
    public void BatchPredicted(IReadOnlyList<PendingRequest> batch, IReadOnlyList<Prediction> predictions, long started, long ended)
    {
        double modelSeconds = (double)(ended - started) / Stopwatch.Frequency;
        metrics.BatchPredicted(model, version, predictions.Count, modelSeconds);
        foreach (var prediction in predictions)
        {
            if (prediction.ProblemType == ProblemType.MultiLabel)
                foreach (string label in prediction.Labels()) metrics.Predicted(model, version, label);
            else if (prediction.ProblemType != ProblemType.Regression) metrics.Predicted(model, version, prediction.Label);
        }
        // Stopwatch ticks to wall-clock times: spans carry absolute times.
        var now = DateTimeOffset.UtcNow;
        long nowTicks = Stopwatch.GetTimestamp();
        DateTimeOffset At(long timestamp) => now - TimeSpan.FromSeconds((double)(nowTicks - timestamp) / Stopwatch.Frequency);
        foreach (var pending in batch)
        {
            metrics.Waited(model, version, Math.Max(0, (double)(started - pending.Queued) / Stopwatch.Frequency));
            if (!ServerMetrics.Source.HasListeners()) continue;
            Span("typedbert.queue_wait", pending, At(pending.Queued), At(started), predictions.Count, batch.Count);
            Span("typedbert.model", pending, At(started), At(ended), predictions.Count, batch.Count);
        }
    }

    void Span(string name, PendingRequest pending, DateTimeOffset start, DateTimeOffset end, int texts, int requests)
    {
        using var activity = ServerMetrics.Source.StartActivity(name, ActivityKind.Internal, pending.Trace, startTime: start);
        if (activity is null) return;
        activity.SetTag("typedbert.model", model);
        if (version is not null) activity.SetTag("typedbert.model.version", version);
        activity.SetTag("typedbert.batch.texts", texts);
        activity.SetTag("typedbert.batch.requests", requests);
        activity.SetEndTime(end.UtcDateTime);
    }
}
