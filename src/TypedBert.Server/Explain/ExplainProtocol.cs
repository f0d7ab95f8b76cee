using System.Text.Json.Serialization;

namespace TypedBert.Server.Explain;

/// <summary>The body of <c>POST /explain</c>.</summary>
/// <param name="Text">The text to explain.</param>
/// <param name="Label">The label to explain; the predicted one when absent.</param>
/// <param name="Steps">Integration steps (1 to 1000; default 32).</param>
internal sealed record ExplainRequest(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("label")] string? Label = null,
    [property: JsonPropertyName("steps")] int? Steps = null);

/// <summary>The answer of <c>POST /explain</c>: the prediction and why the label got its score.</summary>
/// <param name="Label">The label explained.</param>
/// <param name="Predicted">The highest-scoring label.</param>
/// <param name="Scores">Every label with its probability, in label order.</param>
/// <param name="Logit">The explained label's logit for the text.</param>
/// <param name="BaselineLogit">Its logit for the baseline ([PAD] embeddings).</param>
/// <param name="CompletenessError">How far the attributions' sum is from the logit difference, relative to it.</param>
/// <param name="Words">Every word of the text with its character offsets and attribution.</param>
internal sealed record ExplainResponse(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("predicted")] string Predicted,
    [property: JsonPropertyName("scores")] IReadOnlyList<Protocol.LabelProbability> Scores,
    [property: JsonPropertyName("logit")] float Logit,
    [property: JsonPropertyName("baseline_logit")] float BaselineLogit,
    [property: JsonPropertyName("completeness_error")] double CompletenessError,
    [property: JsonPropertyName("words")] IReadOnlyList<ExplainedWord> Words);

/// <summary>One word of the text.</summary>
/// <param name="Word">The word as it stands in the text.</param>
/// <param name="Start">Index of its first UTF-16 code unit in the text.</param>
/// <param name="Length">Its length in UTF-16 code units.</param>
/// <param name="Score">Its attribution: positive pushed the label up, negative down.</param>
internal sealed record ExplainedWord(
    [property: JsonPropertyName("word")] string Word,
    [property: JsonPropertyName("start")] int Start,
    [property: JsonPropertyName("length")] int Length,
    [property: JsonPropertyName("score")] float Score);
