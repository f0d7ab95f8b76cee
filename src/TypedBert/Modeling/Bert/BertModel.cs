using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary>
/// The BERT encoder. Parameter names are Hugging Face's state-dict names (<c>embeddings.word_embeddings.weight</c>,
/// <c>encoder.layer.3.attention.self.query.weight</c>, <c>pooler.dense.bias</c>), so checkpoints map one to one.
/// RoBERTa is this same network with other position ids (see <see cref="BertEmbeddings"/>); a config whose model_type is
/// <c>roberta</c> gets them.
/// </summary>
public sealed class BertModel : nn.Module, ITextEncoder
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler? pooler;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised encoder; load weights into it with <see cref="Pretrained.StateDict.Load"/>.</summary>
    /// <param name="config">Hyperparameters, usually from <c>config.json</c>.</param>
    /// <param name="addPoolingLayer">False for checkpoints without <c>pooler.*</c> weights.</param>
    public BertModel(EncoderConfig config, bool addPoolingLayer = true) : base(nameof(BertModel))
    {
        config.Validate("EncoderConfig");
        Config = config;
        embeddings = new BertEmbeddings(config, ModelFamily.Of(config, "EncoderConfig").PositionsAfterPadding);
        encoder = new BertEncoder(config);
        pooler = addPoolingLayer ? new BertPooler(config) : null;
        RegisterComponents();
        WeightInitialization.Apply(this, config.InitializerRange, config.PadTokenId);
    }

    /// <inheritdoc />
    public EncoderConfig Config { get; }

    /// <inheritdoc />
    public bool HasPooler => pooler is not null;

    /// <summary>The embeddings (for freezing them).</summary>
    internal BertEmbeddings Embeddings => embeddings;

    /// <summary>The transformer layers (for freezing the lower ones).</summary>
    internal BertEncoder Encoder => encoder;

    /// <inheritdoc />
    public EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        EncoderInputs.Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();
        var types = tokenTypeIds ?? zeros_like(inputIds);
        var hidden = embeddings.forward(inputIds, types);
        var mask = AttentionMasks.ToAdditive(attentionMask, hidden.dtype);
        var last = encoder.forward(hidden, mask);
        var pooled = pooler?.forward(last);
        last.MoveToOuterDisposeScope();
        pooled?.MoveToOuterDisposeScope();
        return new EncoderOutput(last, pooled);
    }
}
