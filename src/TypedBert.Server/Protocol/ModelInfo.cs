using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>The answer of <c>GET /model</c>. The folder appears by name only, never as a path.</summary>
/// <param name="Model">Name of the model folder.</param>
/// <param name="Labels">Label names in id order.</param>
/// <param name="ProblemType">Hugging Face's <c>problem_type</c>.</param>
/// <param name="BaseModel">The pre-trained model it was fine-tuned from, when <c>config.json</c> records it (<c>_name_or_path</c>, last segment only).</param>
/// <param name="MaxLength">Longest input in tokens, special tokens included; longer texts are truncated.</param>
/// <param name="Thresholds">Multi-label models: the probability each label needs to be chosen, in label order; null otherwise.</param>
/// <param name="LongText">What happens to a text longer than <paramref name="MaxLength"/> tokens.</param>
public sealed record ModelInfo(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("problem_type")] string ProblemType,
    [property: JsonPropertyName("base_model")] string? BaseModel,
    [property: JsonPropertyName("max_length")] int MaxLength,
    [property: JsonPropertyName("thresholds")] IReadOnlyList<float>? Thresholds = null,
    [property: JsonPropertyName("long_text")] LongTextInfo? LongText = null);

/// <summary>The served model's long-text strategy, as <c>GET /model</c> describes it.</summary>
/// <param name="Strategy"><c>truncate</c>, <c>head_tail</c> or <c>sliding_window</c>.</param>
/// <param name="WindowTokens">Tokens per window (sliding window and head+tail).</param>
/// <param name="Stride">Tokens between the starts of consecutive windows (sliding window only).</param>
/// <param name="Aggregation"><c>mean</c>, <c>max</c> or <c>mean-prob</c> of the windows (sliding window only).</param>
/// <param name="HeadTokens">Tokens taken from the start of the text (head+tail only).</param>
public sealed record LongTextInfo(
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("window_tokens")] int? WindowTokens = null,
    [property: JsonPropertyName("stride")] int? Stride = null,
    [property: JsonPropertyName("aggregation")] string? Aggregation = null,
    [property: JsonPropertyName("head_tokens")] int? HeadTokens = null);
