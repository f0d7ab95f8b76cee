using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TypedBert.Modeling;

/// <summary>
/// The hyperparameters of an encoder of any supported family (<see cref="ModelFamily"/>), as written in a Hugging Face
/// <c>config.json</c>, under BERT's field names; a family that names them otherwise maps them on reading and writing.
/// Fields this type does not know (for example <c>id2label</c>) are kept in <see cref="Extra"/> and written back unchanged.
/// </summary>
public record EncoderConfig
{
    /// <summary>Upper bounds that no real checkpoint comes near; a larger value is a corrupt or hostile file.</summary>
    internal const int MaxVocabSize = 1_000_000, MaxHiddenSize = 16_384, MaxLayers = 256, MaxPositions = 1_048_576;

    /// <summary>Architecture family (<see cref="ModelFamily.ModelType"/>); "bert" by default.</summary>
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "bert";
    /// <summary>Rows of the word-embedding table.</summary>
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;
    /// <summary>Width of every hidden state.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    /// <summary>Number of transformer layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    /// <summary>Attention heads per layer; must divide hidden_size.</summary>
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    /// <summary>Width of the feed-forward expansion.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    /// <summary>Feed-forward activation (see <see cref="Activations"/>).</summary>
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    /// <summary>Dropout after embeddings and each residual block, in training.</summary>
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    /// <summary>Dropout on attention weights, in training.</summary>
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    /// <summary>Longest sequence the position table covers.</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    /// <summary>Segment (token type) embeddings; 0 when the model has none.</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    /// <summary>LayerNorm epsilon.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    /// <summary>Standard deviation of the normal initialisation of new weights.</summary>
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    /// <summary>Id of the padding token.</summary>
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; }

    /// <summary>Every other field of the file, kept so that a load-save round trip loses nothing.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    /// <summary>Size of one attention head.</summary>
    [JsonIgnore] public int HeadSize => HiddenSize / NumAttentionHeads;

    static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    /// <summary>Reads and validates a <c>config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, or a field is missing its sense; the message names the file and field.</exception>
    public static EncoderConfig Load(string path)
    {
        EncoderConfig? config;
        try
        {
            using var stream = File.OpenRead(path);
            config = JsonSerializer.Deserialize<EncoderConfig>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid config.json ({e.Message})", e);
        }
        if (config is null) throw new InvalidDataException($"{path}: config.json is empty (null)");
        if (ModelFamily.Find(config.ModelType)?.ConfigNames is { } names) config = names.ToStandardNames(config, path);
        config.Validate(path);
        return config;
    }

    /// <summary>Writes this configuration as <c>config.json</c> text.</summary>
    public string ToJson() => ToJsonObject().ToJsonString(WriteOptions);

    /// <summary>This configuration as a JSON object, in the field names of its model type (DistilBERT has its own).</summary>
    public JsonObject ToJsonObject()
    {
        // Serialised as EncoderConfig whatever the runtime type, so the compatibility type BertConfig writes the same file.
        var root = JsonSerializer.SerializeToNode(this, typeof(EncoderConfig))!.AsObject();
        return ModelFamily.Find(ModelType)?.ConfigNames is { } names ? names.ToOwnNames(root) : root;
    }

    /// <summary>Checks every size before anything is allocated from it.</summary>
    /// <exception cref="InvalidDataException">A value is out of range; the message names <paramref name="source"/> and the field.</exception>
    public void Validate(string source)
    {
        Require(VocabSize, "vocab_size", 1, MaxVocabSize);
        Require(HiddenSize, "hidden_size", 1, MaxHiddenSize);
        Require(NumHiddenLayers, "num_hidden_layers", 1, MaxLayers);
        Require(NumAttentionHeads, "num_attention_heads", 1, HiddenSize);
        Require(IntermediateSize, "intermediate_size", 1, MaxHiddenSize * 8);
        Require(MaxPositionEmbeddings, "max_position_embeddings", 1, MaxPositions);
        Require(TypeVocabSize, "type_vocab_size", 0, 1024);
        Require(PadTokenId, "pad_token_id", 0, VocabSize - 1);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new InvalidDataException($"{source}: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumAttentionHeads}");
        if (!Activations.IsKnown(HiddenAct))
            throw new InvalidDataException($"{source}: hidden_act \"{HiddenAct}\" is not supported (expected one of {string.Join(", ", Activations.Names)})");
        RequireProbability(HiddenDropoutProb, "hidden_dropout_prob");
        RequireProbability(AttentionProbsDropoutProb, "attention_probs_dropout_prob");
        if (!(LayerNormEps > 0 && LayerNormEps < 1))
            throw new InvalidDataException($"{source}: layer_norm_eps {LayerNormEps} must be in (0, 1)");

        void Require(int value, string field, int min, int max)
        {
            if (value < min || value > max)
                throw new InvalidDataException($"{source}: {field} = {value} is outside the accepted range [{min}, {max}]");
        }

        void RequireProbability(double value, string field)
        {
            if (!(value >= 0 && value < 1))
                throw new InvalidDataException($"{source}: {field} = {value} must be in [0, 1)");
        }
    }

    /// <summary>An integer field kept in <see cref="Extra"/> (a variant's own field, such as ALBERT's <c>embedding_size</c>), or <paramref name="fallback"/>.</summary>
    /// <exception cref="InvalidDataException">The field is present but not an integer in [<paramref name="min"/>, <paramref name="max"/>].</exception>
    public int ExtraInt(string field, int fallback, int min = 1, int max = MaxHiddenSize * 8)
    {
        if (Extra is null || !Extra.TryGetValue(field, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int parsed) || parsed < min || parsed > max)
            throw new InvalidDataException($"config.json: {field} = {value.GetRawText()} must be an integer in [{min}, {max}]");
        return parsed;
    }

    /// <summary>A floating-point field kept in <see cref="Extra"/>, or <paramref name="fallback"/> when absent or null.</summary>
    public double ExtraDouble(string field, double fallback) =>
        Extra is not null && Extra.TryGetValue(field, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;

    /// <summary>A copy of <see cref="Extra"/> as a mutable JSON object, for callers that add fields such as <c>id2label</c>.</summary>
    public JsonObject ExtraAsJsonObject()
    {
        var result = new JsonObject();
        if (Extra is not null)
            foreach (var (key, value) in Extra)
                result[key] = JsonNode.Parse(value.GetRawText());
        return result;
    }
}
