using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TypedBert.Server.Protocol;

/// <summary>The texts of one <c>POST /predict</c> request, checked against the server's limits.</summary>
internal sealed record ValidatedPredictRequest(string[] Texts, int? TopK);

/// <summary>
/// Reads and checks a <c>POST /predict</c> body field by field, so that each refusal names the field at fault.
/// Only <c>text</c>, <c>texts</c> and <c>top_k</c> are accepted: a request cannot name a file, a path or another model.
/// Only JSON content types are read (<see cref="JsonContentType"/>); a text must be well-formed (no lone surrogate, valid
/// UTF-8: <see cref="JsonStringEncoding"/>) and not blank (<see cref="BlankText"/>).
/// </summary>
internal static class PredictRequestReader
{
    public static async Task<ValidatedPredictRequest> ReadAsync(HttpContext context, TypedBertServerOptions options)
    {
        using var document = await JsonRequestBody.ReadAsync(context, options);
        return Validate(document.RootElement, options);
    }

    static ValidatedPredictRequest Validate(JsonElement root, TypedBertServerOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw Bad($"the body must be a JSON object like {{\"text\": \"...\"}} or {{\"texts\": [\"...\"]}}, not {Describe(root.ValueKind)}", null);
        string[]? texts = null;
        int? topK = null;
        bool sawText = false, sawTexts = false;
        foreach (var property in root.EnumerateObject())
        {
            // A name that cannot be read is not echoed back, even in part.
            string name = JsonStringEncoding.TryReadName(property, out string? problem) ?? throw Bad($"a field name {problem}", null);
            switch (name)
            {
                case "text":
                    sawText = true;
                    texts = [ReadText(property.Value, "text", options)];
                    break;
                case "texts":
                    sawTexts = true;
                    texts = ReadTexts(property.Value, options);
                    break;
                case "top_k":
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out int k) || k < 1)
                        throw Bad("top_k must be a whole number of at least 1", "top_k");
                    topK = k;
                    break;
                default:
                    throw Bad($"unknown field \"{EchoedText.Shorten(name)}\"; the body takes only text, texts and top_k (the model is fixed when the server starts)", EchoedText.Shorten(name));
            }
        }
        if (sawText && sawTexts) throw Bad("give either text or texts, not both", "texts");
        return texts is null ? throw Bad("missing field: give \"text\" (one string) or \"texts\" (a list of strings)", "texts") : new ValidatedPredictRequest(texts, topK);
    }

    static string[] ReadTexts(JsonElement value, TypedBertServerOptions options)
    {
        if (value.ValueKind != JsonValueKind.Array) throw Bad($"texts must be a list of strings, not {Describe(value.ValueKind)}", "texts");
        int count = value.GetArrayLength();
        if (count == 0) throw Bad("texts is empty; give at least one text", "texts");
        if (count > options.MaxTextsPerRequest)
            throw new RequestRejectedException(StatusCodes.Status413PayloadTooLarge, $"{count} texts; at most {options.MaxTextsPerRequest} per request", "texts");
        var texts = new string[count];
        int i = 0;
        foreach (var item in value.EnumerateArray())
        {
            texts[i] = ReadText(item, $"texts[{i}]", options);
            i++;
        }
        return texts;
    }

    static string ReadText(JsonElement value, string field, TypedBertServerOptions options)
    {
        if (value.ValueKind != JsonValueKind.String) throw Bad($"{field} must be a string, not {Describe(value.ValueKind)}", field);
        string text = JsonStringEncoding.TryRead(value, out string? problem) ?? throw Bad($"{field} {problem}", field);
        if (text.Length > options.MaxCharsPerText)
            throw Bad($"{field} has {text.Length} characters; at most {options.MaxCharsPerText}", field);
        if (BlankText.Is(text))
            throw Bad($"{field} is {(text.Length == 0 ? "empty" : "only whitespace or invisible characters")}; give a text with something to classify", field);
        return text;
    }

    static RequestRejectedException Bad(string error, string? field) => new(StatusCodes.Status400BadRequest, error, field);

    static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
