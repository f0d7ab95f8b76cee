using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBert.Modeling;
using TypedBert.Modeling.Heads;

namespace TypedBert.Classification;

/// <summary>
/// Everything <c>config.json</c> says about a sequence classifier: the encoder's hyperparameters plus the head's
/// labels (<c>id2label</c>, <c>label2id</c>), <c>problem_type</c> and pooling.
/// </summary>
public sealed record SequenceClassificationConfig
{
    /// <summary>The encoder's hyperparameters.</summary>
    public required EncoderConfig Encoder { get; init; }

    /// <summary>Label names in id order (for regression: the output names).</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>What the head predicts.</summary>
    public ProblemType ProblemType { get; init; } = ProblemType.SingleLabel;

    /// <summary>How token vectors become one text vector.</summary>
    public PoolingStrategy Pooling { get; init; } = PoolingStrategy.Pooler;

    /// <summary>Dropout before the classifier; Hugging Face's <c>classifier_dropout</c>, falling back to hidden_dropout_prob.</summary>
    public double? ClassifierDropout { get; init; }

    /// <summary>Multi-label decision thresholds per label (probability); 0.5 for every label when null.</summary>
    public IReadOnlyList<float>? Thresholds { get; init; }

    /// <summary>
    /// Single-label: the temperature T that the logits are divided by before the softmax (<c>typedbert_temperature</c>, fitted on
    /// held-out data by <c>typedbert calibrate</c>); null: 1. It changes the probabilities, never the predicted label.
    /// </summary>
    public float? Temperature { get; init; }

    /// <summary>
    /// How the model reads a long text (<c>typedbert_long_text</c>, <c>typedbert_window</c>, <c>typedbert_stride</c>,
    /// <c>typedbert_head_tokens</c>, <c>typedbert_aggregation</c>, <c>typedbert_min_window_tokens</c>, <c>typedbert_max_windows_per_document</c>;
    /// fields that transformers ignores); null: truncation at the maximum length.
    /// </summary>
    public LongTextOptions? LongText { get; init; }

    /// <summary>Number of outputs of the head.</summary>
    public int NumLabels => Labels.Count;

    /// <summary>Checks the head's fields.</summary>
    public void Validate(string source)
    {
        if (Labels.Count == 0) throw new InvalidDataException($"{source}: a classifier needs at least one label");
        if (ProblemType == ProblemType.SingleLabel && Labels.Count < 2)
            throw new InvalidDataException($"{source}: single-label classification needs at least two labels, got {Labels.Count}");
        var duplicate = Labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"{source}: label \"{duplicate.Key}\" appears twice in id2label");
        if (Thresholds is not null && (Thresholds.Count != Labels.Count || Thresholds.Any(t => !(t > 0 && t < 1))))
            throw new InvalidDataException($"{source}: typedbert_thresholds needs one value in (0, 1) per label");
        if (Temperature is float temperature && (!(temperature > 0 && float.IsFinite(temperature)) || ProblemType != ProblemType.SingleLabel))
            throw new InvalidDataException($"{source}: typedbert_temperature {temperature} must be a positive number, on a single-label model");
        if (ClassifierDropout is double p && !(p >= 0 && p < 1))
            throw new InvalidDataException($"{source}: classifier_dropout {p} must be in [0, 1)");
    }

    /// <summary>The full <c>config.json</c> text, loadable by <c>AutoModelForSequenceClassification.from_pretrained</c>.</summary>
    public string ToJson()
    {
        var root = Encoder.ToJsonObject();
        root["architectures"] = new JsonArray(ModelFamily.Of(Encoder, "config.json").ClassifierArchitecture);
        root["problem_type"] = ProblemType.ToHuggingFace();
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (int i = 0; i < Labels.Count; i++)
        {
            id2label[i.ToString(CultureInfo.InvariantCulture)] = Labels[i];
            label2id[Labels[i]] = i;
        }
        root["id2label"] = id2label;
        root["label2id"] = label2id;
        root["classifier_dropout"] = ClassifierDropout;
        root["typedbert_pooling"] = Pooling.ToString().ToLowerInvariant();
        if (LongText is { } longText) LongTextFields.Write(root, longText);
        if (Temperature is float t) root["typedbert_temperature"] = t;
        if (Thresholds is not null) root["typedbert_thresholds"] = new JsonArray(Thresholds.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The <c>config.json</c> fields that describe a classification head; <see cref="ToJson"/> writes them from this record.</summary>
    static readonly HashSet<string> HeadFields =
        ["architectures", "problem_type", "id2label", "label2id", "classifier_dropout", "typedbert_pooling", "typedbert_thresholds", "typedbert_temperature", "num_labels",
            .. LongTextFields.Names];

    /// <summary>The encoder's configuration without any head fields a checkpoint's <c>config.json</c> carried.</summary>
    public static EncoderConfig WithoutHeadFields(EncoderConfig encoder) =>
        encoder with { Extra = encoder.Extra?.Where(e => !HeadFields.Contains(e.Key)).ToDictionary(e => e.Key, e => e.Value) };

    /// <summary>Reads a classifier's <c>config.json</c> (written by TypedBert or by transformers).</summary>
    public static SequenceClassificationConfig Load(string path)
    {
        var encoder = EncoderConfig.Load(path);
        var extra = encoder.Extra ?? new Dictionary<string, JsonElement>();
        string[] labels = ReadLabels(extra, path);
        string? problem = extra.TryGetValue("problem_type", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        var pooling = extra.TryGetValue("typedbert_pooling", out var pool) && pool.ValueKind == JsonValueKind.String
            ? Enum.TryParse<PoolingStrategy>(pool.GetString(), ignoreCase: true, out var parsed) ? parsed
                : throw new InvalidDataException($"{path}: typedbert_pooling \"{pool.GetString()}\" is not one of pooler, cls, mean")
            : PoolingStrategy.Pooler;
        double? dropout = extra.TryGetValue("classifier_dropout", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
        float[]? thresholds = extra.TryGetValue("typedbert_thresholds", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(v => v.GetSingle()).ToArray() : null;
        float? temperature = extra.TryGetValue("typedbert_temperature", out var temp) && temp.ValueKind == JsonValueKind.Number ? temp.GetSingle() : null;
        var config = new SequenceClassificationConfig
        {
            Temperature = temperature,
            Encoder = WithoutHeadFields(encoder),
            Labels = labels,
            ProblemType = ProblemTypes.FromHuggingFace(problem, path),
            Pooling = pooling,
            ClassifierDropout = dropout,
            Thresholds = thresholds,
            LongText = LongTextFields.Read(extra, path),
        };
        config.Validate(path);
        return config;
    }

    static string[] ReadLabels(Dictionary<string, JsonElement> extra, string path)
    {
        if (extra.TryGetValue("id2label", out var map) && map.ValueKind == JsonValueKind.Object)
        {
            var pairs = new List<(int Id, string Label)>();
            foreach (var entry in map.EnumerateObject())
            {
                if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                    throw new InvalidDataException($"{path}: id2label key \"{entry.Name}\" is not a label id");
                pairs.Add((id, entry.Value.GetString() ?? throw new InvalidDataException($"{path}: id2label[{id}] is not a string")));
            }
            pairs.Sort();
            for (int i = 0; i < pairs.Count; i++)
                if (pairs[i].Id != i) throw new InvalidDataException($"{path}: id2label ids must be 0..{pairs.Count - 1}; id {i} is missing");
            return [.. pairs.Select(p => p.Label)];
        }
        if (extra.TryGetValue("num_labels", out var n) && n.TryGetInt32(out int count) && count is > 0 and < 100_000)
            return [.. Enumerable.Range(0, count).Select(i => $"LABEL_{i}")];
        return ["LABEL_0", "LABEL_1"]; // transformers' default num_labels
    }
}
