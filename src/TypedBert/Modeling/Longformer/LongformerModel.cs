using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary>
/// The Longformer encoder with Hugging Face's parameter names (<c>embeddings.*</c> as RoBERTa's,
/// <c>encoder.layer.N.attention.self.query_global.weight</c>, ...): sliding-window attention plus global attention on chosen tokens.
/// </summary>
internal sealed class LongformerModel : nn.Module, ITextEncoder
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertEmbeddings embeddings;
    private readonly LongformerEncoder encoder;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised encoder (without pooler: transformers' classifier does not use one).</summary>
    public LongformerModel(EncoderConfig config) : base(nameof(LongformerModel))
    {
        config.Validate("LongformerConfig");
        Config = config;
        Windows = LongformerWindows.Of(config);
        embeddings = new BertEmbeddings(config, positionsAfterPadding: true);
        encoder = new LongformerEncoder(config, Windows);
        RegisterComponents();
        WeightInitialization.Apply(this, config.InitializerRange, config.PadTokenId);
    }

    /// <inheritdoc />
    public EncoderConfig Config { get; }

    /// <summary>The attention window of each layer.</summary>
    public IReadOnlyList<int> Windows { get; }

    /// <inheritdoc />
    public bool HasPooler => false;

    /// <inheritdoc />
    /// <remarks>No token is global; see the overload with a global attention mask.</remarks>
    public EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var noGlobal = zeros_like(inputIds);
        return Forward(inputIds, attentionMask, noGlobal, tokenTypeIds);
    }

    /// <summary>Runs the encoder with global attention where <paramref name="globalAttentionMask"/> is 1.</summary>
    public EncoderOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor globalAttentionMask, Tensor? tokenTypeIds)
    {
        EncoderInputs.Check(inputIds, attentionMask);
        EncoderInputs.Check(inputIds, globalAttentionMask);
        using var scope = NewDisposeScope();
        using var masks = new LongformerMasks(attentionMask, globalAttentionMask);
        var hidden = encoder.Forward(embeddings.forward(inputIds, tokenTypeIds ?? zeros_like(inputIds)), masks);
        return new EncoderOutput(hidden.MoveToOuterDisposeScope(), null);
    }
}
