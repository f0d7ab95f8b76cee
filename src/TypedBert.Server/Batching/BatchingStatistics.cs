namespace TypedBert.Server.Batching;

/// <summary>What the batcher has done since the server started.</summary>
/// <param name="Requests">Requests answered.</param>
/// <param name="Texts">Texts predicted.</param>
/// <param name="Batches">Calls to <c>PredictBatch</c>.</param>
/// <param name="LargestBatch">Most texts in one call.</param>
/// <param name="LargestBatchRequests">Most requests joined in one call.</param>
public readonly record struct BatchingStatistics(long Requests, long Texts, long Batches, int LargestBatch, int LargestBatchRequests);
