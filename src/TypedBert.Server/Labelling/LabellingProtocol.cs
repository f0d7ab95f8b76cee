using System.Text.Json.Serialization;

namespace TypedBert.Server.Labelling;

/// <summary><c>GET /label/state</c>: what the page needs to draw itself.</summary>
internal sealed record LabellingState(
    [property: JsonPropertyName("data_file")] string DataFile,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("pool")] int Pool,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("problem_type")] string ProblemType,
    [property: JsonPropertyName("retrain")] RetrainStatus Retrain);

/// <summary><c>GET /label/next</c>: texts to label, most worth labelling first.</summary>
internal sealed record NextTextsResponse([property: JsonPropertyName("items")] IReadOnlyList<NextItem> Items);

/// <summary>A text to label: its id (what a label names) and, when known, the served model's guess.</summary>
internal sealed record NextItem(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("predicted"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Predicted);

/// <summary><c>POST /label</c> and <c>POST /label/undo</c>: what was written.</summary>
/// <param name="Written">A row was appended (label) or removed (undo); false when the text already had a row (label) or none to remove (undo).</param>
/// <param name="Reloaded">The data file had been changed on disk by someone else and was read again first.</param>
/// <param name="Rows">Rows in the data file now.</param>
/// <param name="Label">The text's label cell in the file (label), or null.</param>
internal sealed record LabelResponse(
    [property: JsonPropertyName("written")] bool Written,
    [property: JsonPropertyName("reloaded")] bool Reloaded,
    [property: JsonPropertyName("rows")] int Rows,
    [property: JsonPropertyName("label"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Label);
