using System.Text.Json;

namespace TypedBert.Tokenization;

/// <summary>The parts of a Hugging Face <c>tokenizer_config.json</c> that change how a WordPiece tokenizer behaves.</summary>
public sealed record TokenizerSettings
{
    /// <summary>Lowercase before splitting into word pieces (uncased models).</summary>
    public bool DoLowerCase { get; init; } = true;

    /// <summary>Remove accents (combining marks); Hugging Face does so whenever it lowercases unless told otherwise.</summary>
    public bool? StripAccents { get; init; }

    /// <summary>Put spaces around CJK ideographs so that each becomes its own token.</summary>
    public bool TokenizeChineseChars { get; init; } = true;

    /// <summary>The longest sequence, special tokens included, that the model accepts.</summary>
    public int ModelMaxLength { get; init; } = 512;

    /// <summary>Special tokens.</summary>
    public string ClsToken { get; init; } = "[CLS]";
    /// <inheritdoc cref="ClsToken"/>
    public string SepToken { get; init; } = "[SEP]";
    /// <inheritdoc cref="ClsToken"/>
    public string PadToken { get; init; } = "[PAD]";
    /// <inheritdoc cref="ClsToken"/>
    public string UnkToken { get; init; } = "[UNK]";
    /// <inheritdoc cref="ClsToken"/>
    public string MaskToken { get; init; } = "[MASK]";

    /// <summary>Whether accents are removed, after applying Hugging Face's default.</summary>
    public bool EffectiveStripAccents => StripAccents ?? DoLowerCase;

    /// <summary>Reads <c>tokenizer_config.json</c>; absent fields keep their defaults, and a huge or missing model_max_length falls back to <paramref name="maxPositions"/>.</summary>
    public static TokenizerSettings Load(string? path, int maxPositions)
    {
        var settings = new TokenizerSettings { ModelMaxLength = maxPositions };
        if (path is null || !File.Exists(path)) return settings;
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
        using (document)
        {
            var root = document.RootElement;
            bool? Bool(string name) => root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
            string? Token(string name) => root.TryGetProperty(name, out var v)
                ? v.ValueKind == JsonValueKind.String ? v.GetString()
                : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) ? c.GetString() : null
                : null;
            long maxLength = root.TryGetProperty("model_max_length", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt64(out long parsed) ? parsed : maxPositions;
            return settings with
            {
                DoLowerCase = Bool("do_lower_case") ?? settings.DoLowerCase,
                StripAccents = Bool("strip_accents"),
                TokenizeChineseChars = Bool("tokenize_chinese_chars") ?? settings.TokenizeChineseChars,
                ModelMaxLength = (int)Math.Clamp(maxLength, 2, maxPositions),
                ClsToken = Token("cls_token") ?? settings.ClsToken,
                SepToken = Token("sep_token") ?? settings.SepToken,
                PadToken = Token("pad_token") ?? settings.PadToken,
                UnkToken = Token("unk_token") ?? settings.UnkToken,
                MaskToken = Token("mask_token") ?? settings.MaskToken,
            };
        }
    }

    /// <summary>This as <c>tokenizer_config.json</c> text.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["tokenizer_class"] = "BertTokenizer",
        ["do_lower_case"] = DoLowerCase,
        ["strip_accents"] = StripAccents,
        ["tokenize_chinese_chars"] = TokenizeChineseChars,
        ["model_max_length"] = ModelMaxLength,
        ["cls_token"] = ClsToken,
        ["sep_token"] = SepToken,
        ["pad_token"] = PadToken,
        ["unk_token"] = UnkToken,
        ["mask_token"] = MaskToken,
    }, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>The <c>special_tokens_map.json</c> text.</summary>
    public string SpecialTokensMapJson() => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["cls_token"] = ClsToken, ["sep_token"] = SepToken, ["pad_token"] = PadToken, ["unk_token"] = UnkToken, ["mask_token"] = MaskToken,
    }, new JsonSerializerOptions { WriteIndented = true });
}
