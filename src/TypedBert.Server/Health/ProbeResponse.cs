using System.Text.Json.Serialization;

namespace TypedBert.Server.Health;

/// <summary>The answer of <c>GET /health/live</c> and <c>GET /health/ready</c>.</summary>
/// <param name="Status"><c>live</c>; or <c>ready</c>, <c>loading</c> or <c>stopping</c>.</param>
/// <param name="InFlight">Prediction requests being answered now.</param>
internal sealed record ProbeResponse(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("in_flight")] int InFlight);
