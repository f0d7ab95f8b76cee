using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedBert.Modeling.DistilBert;

/// <summary>
/// DistilBERT's <c>config.json</c> names the common hyperparameters differently (<c>dim</c>, <c>n_layers</c>, <c>hidden_dim</c>, ...).
/// TypedBert reads them into the standard fields of <see cref="EncoderConfig"/> (the family registers this as its
/// <see cref="ModelFamily.ConfigNames"/>) and writes them back under DistilBERT's names,
/// so that transformers' <c>DistilBertConfig</c> reads the file it expects.
/// </summary>
internal sealed class DistilBertConfigNames : IConfigFieldNames
{
    /// <summary>DistilBERT's name and the standard name of each renamed field.</summary>
    static readonly (string Own, string Standard)[] Renamed =
    [
        ("dim", "hidden_size"), ("n_layers", "num_hidden_layers"), ("n_heads", "num_attention_heads"),
        ("hidden_dim", "intermediate_size"), ("dropout", "hidden_dropout_prob"), ("attention_dropout", "attention_probs_dropout_prob"),
    ];

    /// <summary>Standard fields DistilBERT has no use for: it has no token types and a fixed LayerNorm epsilon of 1e-12.</summary>
    static readonly string[] Unused = ["type_vocab_size", "layer_norm_eps", "hidden_act"];

    /// <summary>A configuration read from a DistilBERT file, with its own names moved into the standard fields.</summary>
    public EncoderConfig ToStandardNames(EncoderConfig raw, string source)
    {
        var extra = raw.Extra ?? new Dictionary<string, JsonElement>();
        double Read(string name, double fallback)
        {
            if (!extra.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null) return fallback;
            return value.ValueKind == JsonValueKind.Number ? value.GetDouble()
                : throw new InvalidDataException($"{source}: {name} = {value.GetRawText()} must be a number");
        }
        int ReadInt(string name, double fallback)
        {
            double value = Read(name, fallback);
            return value == Math.Floor(value) && value is >= 0 and <= int.MaxValue ? (int)value
                : throw new InvalidDataException($"{source}: {name} = {value} must be a whole number");
        }
        string activation = extra.TryGetValue("activation", out var act) && act.ValueKind == JsonValueKind.String ? act.GetString()! : "gelu";
        var rest = extra.Where(e => e.Key != "activation" && Renamed.All(r => r.Own != e.Key)).ToDictionary(e => e.Key, e => e.Value);
        return raw with // the fallbacks are transformers' DistilBertConfig defaults
        {
            HiddenSize = ReadInt("dim", 768),
            NumHiddenLayers = ReadInt("n_layers", 6),
            NumAttentionHeads = ReadInt("n_heads", 12),
            IntermediateSize = ReadInt("hidden_dim", 3072),
            HiddenDropoutProb = Read("dropout", 0.1),
            AttentionProbsDropoutProb = Read("attention_dropout", 0.1),
            HiddenAct = activation,
            TypeVocabSize = 0,
            LayerNormEps = 1e-12,
            Extra = rest,
        };
    }

    /// <summary>The serialised standard fields of <paramref name="root"/> renamed to DistilBERT's.</summary>
    public JsonObject ToOwnNames(JsonObject root)
    {
        foreach (var (own, standard) in Renamed)
        {
            root[own] = root[standard]?.DeepClone();
            root.Remove(standard);
        }
        root["activation"] = root["hidden_act"]?.DeepClone();
        foreach (var name in Unused) root.Remove(name);
        return root;
    }
}
