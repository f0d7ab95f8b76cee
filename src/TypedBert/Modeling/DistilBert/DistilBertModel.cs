using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary>
/// The DistilBERT encoder with Hugging Face's parameter names (<c>embeddings.*</c>, <c>transformer.layer.N.attention.q_lin.weight</c>,
/// <c>transformer.layer.N.ffn.lin1.weight</c>, ...). It has no token types and no pooler.
/// </summary>
internal sealed class DistilBertModel : nn.Module, ITextEncoder
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly DistilBertEmbeddings embeddings;
    private readonly DistilBertTransformer transformer;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised encoder.</summary>
    public DistilBertModel(EncoderConfig config) : base(nameof(DistilBertModel))
    {
        config.Validate("DistilBertConfig");
        Config = config;
        embeddings = new DistilBertEmbeddings(config);
        transformer = new DistilBertTransformer(config);
        RegisterComponents();
        WeightInitialization.Apply(this, config.InitializerRange, config.PadTokenId);
    }

    /// <inheritdoc />
    public EncoderConfig Config { get; }

    /// <inheritdoc />
    public bool HasPooler => false;

    /// <inheritdoc />
    /// <remarks>DistilBERT has no token types; <paramref name="tokenTypeIds"/> is ignored, as transformers' model does not take them.</remarks>
    public EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        EncoderInputs.Check(inputIds, attentionMask);
        using var scope = NewDisposeScope();
        var hidden = embeddings.forward(inputIds);
        var last = transformer.forward(hidden, AttentionMasks.ToAdditive(attentionMask, hidden.dtype));
        return new EncoderOutput(last.MoveToOuterDisposeScope(), null);
    }
}
