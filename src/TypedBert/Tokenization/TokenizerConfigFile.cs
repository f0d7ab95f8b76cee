using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedBert.Tokenization;

/// <summary>The fields of a Hugging Face <c>tokenizer_config.json</c>, read leniently: absent or null fields give null.</summary>
internal sealed class TokenizerConfigFile
{
    readonly JsonObject root;

    TokenizerConfigFile(JsonObject root) => this.root = root;

    /// <summary>Reads <paramref name="path"/>; an absent file reads as empty.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object; the message names it.</exception>
    public static TokenizerConfigFile Load(string? path)
    {
        if (path is null || !File.Exists(path)) return new TokenizerConfigFile([]);
        try
        {
            return new TokenizerConfigFile(JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: tokenizer_config.json is not a JSON object"));
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
    }

    /// <summary>A true/false field.</summary>
    public bool? Bool(string name) => root[name] is JsonValue v && v.TryGetValue(out bool b) ? b : null;

    /// <summary>A special token, written as a string or as an AddedToken object with <c>content</c>.</summary>
    public string? Token(string name) => root[name] switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? s) => s,
        _ => null,
    };

    /// <summary>model_max_length clamped to [2, <paramref name="maxPositions"/>]; huge placeholders (1e30) fall back to the bound.</summary>
    public int ModelMaxLength(int maxPositions) =>
        root["model_max_length"] is JsonValue v && v.TryGetValue(out double length) && length < maxPositions ? (int)Math.Max(2, length) : maxPositions;
}
