using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;

namespace TypedBert.Server.Batching;

/// <summary>
/// Groups the texts of concurrent requests into batches: one background loop takes waiting requests until
/// <see cref="TypedBertServerOptions.MaxBatchSize"/> texts or <see cref="TypedBertServerOptions.MaxBatchDelay"/> have passed,
/// calls <see cref="TextClassifier.PredictBatch"/> once and hands each request its own predictions.
/// One batch runs at a time: on a few cores one large forward pass beats several small ones competing for them.
/// </summary>
public sealed partial class PredictionBatcher : IAsyncDisposable, IDisposable
{
    // Requests, not texts: when this many wait, new ones wait to be queued (back-pressure instead of unbounded memory).
    const int QueueCapacity = 1024;

    readonly TextClassifier classifier;
    readonly int maxBatchSize;
    readonly TimeSpan maxDelay;
    readonly ILogger logger;
    readonly Channel<PendingRequest> queue = Channel.CreateBounded<PendingRequest>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    readonly Task loop;
    readonly Lock statisticsLock = new();
    // Cancelled when the host starts stopping: a batch then runs with what it has instead of waiting for more that will not come.
    readonly CancellationTokenSource draining = new();
    BatchingStatistics statistics;

    /// <summary>Starts the batching loop.</summary>
    public PredictionBatcher(TextClassifier classifier, int maxBatchSize, TimeSpan maxDelay, ILogger<PredictionBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        this.classifier = classifier;
        this.maxBatchSize = maxBatchSize;
        this.maxDelay = maxDelay;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Told about each batch (metrics and traces); none by default.</summary>
    internal IBatchObserver? Observer { get; init; }

    /// <summary>A snapshot of the counters.</summary>
    public BatchingStatistics Statistics
    {
        get { lock (statisticsLock) return statistics; }
    }

    /// <summary>Queues <paramref name="texts"/> for the next batch and waits for their predictions, in input order.</summary>
    /// <exception cref="ObjectDisposedException">The server is shutting down.</exception>
    public async Task<IReadOnlyList<Prediction>> PredictAsync(string[] texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var pending = new PendingRequest(texts, cancellationToken);
        try
        {
            await queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(PredictionBatcher), "the server is shutting down");
        }
        return await pending.Completion.Task.WaitAsync(cancellationToken);
    }

    async Task RunAsync()
    {
        var reader = queue.Reader;
        PendingRequest? carried = null;
        while (carried is not null || await reader.WaitToReadAsync())
        {
            if (carried is null && !reader.TryRead(out carried)) continue;
            var batch = new List<PendingRequest> { carried };
            int texts = carried.Texts.Length;
            carried = null;
            long deadline = Stopwatch.GetTimestamp() + (long)(maxDelay.TotalSeconds * Stopwatch.Frequency);
            while (texts < maxBatchSize)
            {
                if (reader.TryRead(out var next))
                {
                    // A request is never split: one that does not fit opens the next batch.
                    if (texts + next.Texts.Length > maxBatchSize)
                    {
                        carried = next;
                        break;
                    }
                    batch.Add(next);
                    texts += next.Texts.Length;
                    continue;
                }
                long remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0 || draining.IsCancellationRequested
                    || !await WaitForMoreAsync(reader, TimeSpan.FromSeconds((double)remaining / Stopwatch.Frequency), draining.Token)) break;
            }
            Run(batch);
        }
    }

    static async Task<bool> WaitForMoreAsync(ChannelReader<PendingRequest> reader, TimeSpan timeout, CancellationToken draining)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(draining);
        timer.CancelAfter(timeout);
        try
        {
            return await reader.WaitToReadAsync(timer.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    void Run(List<PendingRequest> batch)
    {
        foreach (var abandoned in batch.Where(p => p.Aborted.IsCancellationRequested)) abandoned.Completion.TrySetCanceled(abandoned.Aborted);
        batch.RemoveAll(p => p.Aborted.IsCancellationRequested);
        if (batch.Count == 0) return;
        var texts = batch.SelectMany(p => p.Texts).ToArray();
        long started = Stopwatch.GetTimestamp();
        IReadOnlyList<Prediction> predictions;
        try
        {
            predictions = classifier.PredictBatch(texts);
        }
        catch (Exception e)
        {
            LogBatchFailed(e, texts.Length, batch.Count);
            foreach (var pending in batch) pending.Completion.TrySetException(e);
            return;
        }
        RecordBatch(batch.Count, texts.Length);
        Observer?.BatchPredicted(batch, predictions, started, Stopwatch.GetTimestamp());
        LogBatch(texts.Length, batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        int offset = 0;
        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult(predictions.Skip(offset).Take(pending.Texts.Length).ToArray());
            offset += pending.Texts.Length;
        }
    }

    void RecordBatch(int requests, int texts)
    {
        lock (statisticsLock)
            statistics = new BatchingStatistics(statistics.Requests + requests, statistics.Texts + texts, statistics.Batches + 1,
                Math.Max(statistics.LargestBatch, texts), Math.Max(statistics.LargestBatchRequests, requests));
    }

    /// <summary>
    /// From now on every batch runs as soon as the requests waiting are taken, without waiting <see cref="TypedBertServerOptions.MaxBatchDelay"/>
    /// for more: the host is stopping, and the requests in flight should be answered, not kept waiting for company.
    /// </summary>
    internal void StopDelaying() => draining.Cancel();

    /// <summary>Stops taking requests, finishes the ones already queued and ends the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
    }

    /// <summary>As <see cref="DisposeAsync"/>, for containers disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "batch of {Texts} texts from {Requests} requests predicted in {Milliseconds:0.0} ms")]
    partial void LogBatch(int texts, int requests, double milliseconds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "a batch of {Texts} texts from {Requests} requests failed")]
    partial void LogBatchFailed(Exception exception, int texts, int requests);
}
