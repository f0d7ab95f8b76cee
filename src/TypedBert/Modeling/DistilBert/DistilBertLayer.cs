using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary><c>transformer.layer.N.*</c>: attention, <c>sa_layer_norm</c>, feed-forward, <c>output_layer_norm</c>.</summary>
internal sealed class DistilBertLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly DistilBertSelfAttention attention;
    private readonly LayerNorm sa_layer_norm;
    private readonly DistilBertFeedForward ffn;
    private readonly LayerNorm output_layer_norm;
#pragma warning restore IDE1006

    /// <summary>Creates one transformer block for <paramref name="config"/>.</summary>
    public DistilBertLayer(EncoderConfig config) : base(nameof(DistilBertLayer))
    {
        attention = new DistilBertSelfAttention(config);
        sa_layer_norm = nn.LayerNorm(config.HiddenSize, 1e-12);
        ffn = new DistilBertFeedForward(config);
        output_layer_norm = nn.LayerNorm(config.HiddenSize, 1e-12);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var attended = sa_layer_norm.forward(attention.forward(hidden, additiveMask) + hidden);
        return output_layer_norm.forward(ffn.forward(attended) + attended).MoveToOuterDisposeScope();
    }
}
