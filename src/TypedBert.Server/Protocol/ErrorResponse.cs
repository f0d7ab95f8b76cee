using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>The body of every error answer (400, 401, 413, 415, 500, 503).</summary>
/// <param name="Error">What went wrong.</param>
/// <param name="Field">The request field or header at fault, when there is one (for example <c>texts[3]</c>).</param>
public sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("field"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
