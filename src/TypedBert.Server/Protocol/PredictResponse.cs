using System.Text.Json.Serialization;

namespace TypedBert.Server.Protocol;

/// <summary>The answer of <c>POST /predict</c>: one prediction per text, in input order.</summary>
/// <param name="Predictions">The predictions.</param>
public sealed record PredictResponse([property: JsonPropertyName("predictions")] IReadOnlyList<TextPrediction> Predictions);

/// <summary>What the model says about one text.</summary>
/// <param name="Label">The highest-scoring label.</param>
/// <param name="Labels">Multi-label models: every label whose probability reaches its threshold; absent otherwise.</param>
/// <param name="Scores">Labels with their probabilities (regression: predicted values), best first.</param>
public sealed record TextPrediction(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Labels,
    [property: JsonPropertyName("scores")] IReadOnlyList<LabelProbability> Scores);

/// <summary>One label and its score.</summary>
/// <param name="Label">The label's name.</param>
/// <param name="Score">Probability (regression: predicted value).</param>
public sealed record LabelProbability(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("score")] float Score);
