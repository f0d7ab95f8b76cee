using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>The answer of <c>GET /model</c>. The folder appears by name only, never as a path.</summary>
/// <param name="Model">Name of the model folder.</param>
/// <param name="Labels">Label names in id order.</param>
/// <param name="ProblemType">Hugging Face's <c>problem_type</c>.</param>
/// <param name="BaseModel">The pre-trained model it was fine-tuned from, when <c>config.json</c> records it (<c>_name_or_path</c>, last segment only).</param>
/// <param name="MaxLength">Longest input in tokens, special tokens included; longer texts are truncated.</param>
public sealed record ModelInfo(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("problem_type")] string ProblemType,
    [property: JsonPropertyName("base_model")] string? BaseModel,
    [property: JsonPropertyName("max_length")] int MaxLength);
