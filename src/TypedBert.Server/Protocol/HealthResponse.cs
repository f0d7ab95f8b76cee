using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>The answer of <c>GET /health</c>: the server is up and the model is loaded.</summary>
/// <param name="Status">Always <c>ok</c> when the server answers.</param>
/// <param name="Requests">Prediction requests answered so far.</param>
/// <param name="Batches">Batches run so far.</param>
/// <param name="LargestBatch">Most texts in one batch so far.</param>
public sealed record HealthResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("batches")] long Batches,
    [property: JsonPropertyName("largest_batch")] int LargestBatch);
