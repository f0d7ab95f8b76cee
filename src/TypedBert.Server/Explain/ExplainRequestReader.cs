using System.Text.Json;
using Microsoft.AspNetCore.Http;
using TypedBert.Explanations;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Explain;

/// <summary>
/// Reads and checks a <c>POST /explain</c> body with the limits of <c>/predict</c> (content type, body size: 413, text length,
/// well-formed and not blank) plus the label and the step range; each refusal names its field.
/// </summary>
internal static class ExplainRequestReader
{
    public static async Task<ExplainRequest> ReadAsync(HttpContext context, TypedBertServerOptions options, IReadOnlyList<string> labels)
    {
        using var document = await JsonRequestBody.ReadAsync(context, options);
        return Validate(document.RootElement, options, labels);
    }

    static ExplainRequest Validate(JsonElement root, TypedBertServerOptions options, IReadOnlyList<string> labels)
    {
        if (root.ValueKind != JsonValueKind.Object) throw Bad("the body must be a JSON object like {\"text\": \"...\", \"label\": \"...\"}", null);
        string? text = null, label = null;
        int? steps = null;
        foreach (var property in root.EnumerateObject())
        {
            string name = JsonStringEncoding.TryReadName(property, out string? problem) ?? throw Bad($"a field name {problem}", null);
            switch (name)
            {
                case "text":
                    text = ReadString(property.Value, "text");
                    if (text.Length > options.MaxCharsPerText) throw Bad($"text has {text.Length} characters; at most {options.MaxCharsPerText}", "text");
                    if (BlankText.Is(text)) throw Bad("text is empty or only whitespace; give a text to explain", "text");
                    break;
                case "label":
                    if (property.Value.ValueKind == JsonValueKind.Null) break;
                    label = ReadString(property.Value, "label");
                    if (!labels.Contains(label)) throw Bad($"no label \"{EchoedText.Shorten(label)}\"; the model's labels are {string.Join(", ", labels)}", "label");
                    break;
                case "steps":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out int n)
                        || n is < ExplanationOptions.MinSteps or > ExplanationOptions.MaxSteps)
                        throw Bad($"steps must be a whole number from {ExplanationOptions.MinSteps} to {ExplanationOptions.MaxSteps}", "steps");
                    steps = n;
                    break;
                default:
                    throw Bad($"unknown field \"{EchoedText.Shorten(name)}\"; the body takes only text, label and steps", EchoedText.Shorten(name));
            }
        }
        return text is null ? throw Bad("missing field: give \"text\"", "text") : new ExplainRequest(text, label, steps);
    }

    static string ReadString(JsonElement value, string field) =>
        value.ValueKind != JsonValueKind.String ? throw Bad($"{field} must be a string", field)
        : JsonStringEncoding.TryRead(value, out string? problem) ?? throw Bad($"{field} {problem}", field);

    static RequestRejectedException Bad(string error, string? field) => new(StatusCodes.Status400BadRequest, error, field);
}
