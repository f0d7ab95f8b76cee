using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary>
/// The ALBERT encoder with Hugging Face's parameter names (<c>embeddings.*</c>, <c>encoder.embedding_hidden_mapping_in.*</c>,
/// <c>encoder.albert_layer_groups.0.albert_layers.0.attention.query.weight</c>, <c>pooler.weight</c>).
/// </summary>
internal sealed class AlbertModel : nn.Module, ITextEncoder
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly AlbertEmbeddings embeddings;
    private readonly AlbertTransformer encoder;
    private readonly Linear? pooler;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised encoder.</summary>
    /// <param name="config">Hyperparameters; embedding_size, num_hidden_groups and inner_group_num are read from its extra fields.</param>
    /// <param name="addPoolingLayer">False for a model that pools without ALBERT's pooler.</param>
    public AlbertModel(EncoderConfig config, bool addPoolingLayer = true) : base(nameof(AlbertModel))
    {
        config.Validate("AlbertConfig");
        Config = config;
        Shape = AlbertShape.Of(config);
        embeddings = new AlbertEmbeddings(config, Shape.EmbeddingSize);
        encoder = new AlbertTransformer(config, Shape);
        pooler = addPoolingLayer ? nn.Linear(config.HiddenSize, config.HiddenSize) : null;
        RegisterComponents();
        WeightInitialization.Apply(this, config.InitializerRange, config.PadTokenId);
    }

    /// <inheritdoc />
    public EncoderConfig Config { get; }

    /// <summary>Embedding width and weight sharing.</summary>
    public AlbertShape Shape { get; }

    /// <inheritdoc />
    public bool HasPooler => pooler is not null;

    /// <inheritdoc />
    public EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        EncoderInputs.Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();
        var embedded = embeddings.forward(inputIds, tokenTypeIds ?? zeros_like(inputIds));
        var last = encoder.forward(embedded, AttentionMasks.ToAdditive(attentionMask, embedded.dtype));
        var pooled = pooler?.Project(last.select(1, 0)).tanh();
        return new EncoderOutput(last.MoveToOuterDisposeScope(), pooled?.MoveToOuterDisposeScope());
    }
}
