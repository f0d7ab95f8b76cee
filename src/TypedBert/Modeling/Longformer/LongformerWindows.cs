using System.Text.Json;

namespace TypedBert.Modeling.Longformer;

/// <summary>Reads <c>attention_window</c>: one even size for every layer, or a list with one per layer.</summary>
internal static class LongformerWindows
{
    /// <summary>The window of each layer (transformers' default: 512).</summary>
    /// <exception cref="InvalidDataException">The field is not a positive even integer or a list of one per layer.</exception>
    public static int[] Of(EncoderConfig config)
    {
        int layers = config.NumHiddenLayers;
        if (config.Extra is null || !config.Extra.TryGetValue("attention_window", out var field) || field.ValueKind == JsonValueKind.Null)
            return Enumerable.Repeat(512, layers).ToArray();
        int[] windows = field.ValueKind switch
        {
            JsonValueKind.Number => Enumerable.Repeat(Parse(field), layers).ToArray(),
            JsonValueKind.Array => [.. field.EnumerateArray().Select(Parse)],
            _ => throw new InvalidDataException($"config.json: attention_window = {field.GetRawText()} must be an even integer or a list of them"),
        };
        if (windows.Length != layers)
            throw new InvalidDataException($"config.json: attention_window lists {windows.Length} sizes for {layers} layers");
        return windows;
    }

    static int Parse(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int size) && size > 0 && size % 2 == 0 && size <= EncoderConfig.MaxPositions
            ? size
            : throw new InvalidDataException($"config.json: attention_window entry {value.GetRawText()} must be a positive even integer");
}
