using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>
/// The body of <c>POST /predict</c>: <c>text</c> or <c>texts</c> (not both), and optionally <c>top_k</c>.
/// Any other field is refused, so no request can smuggle in a file name or a path.
/// </summary>
/// <param name="Text">One text.</param>
/// <param name="Texts">Several texts; the predictions come back in the same order.</param>
/// <param name="TopK">How many labels to return per text, best first (all when absent).</param>
public sealed record PredictRequest(
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("texts")] IReadOnlyList<string>? Texts,
    [property: JsonPropertyName("top_k")] int? TopK);
