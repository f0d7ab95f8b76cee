using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary><c>attention.*</c>: Longformer self-attention followed by BERT's residual output block.</summary>
internal sealed class LongformerAttention : nn.Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly LongformerSelfAttention self;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the block for <paramref name="config"/> with this layer's <paramref name="window"/>.</summary>
    public LongformerAttention(EncoderConfig config, int window) : base(nameof(LongformerAttention))
    {
        self = new LongformerSelfAttention(config, window);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Attention, projection, dropout and LayerNorm with the residual.</summary>
    public Tensor Forward(Tensor hidden, LongformerMasks masks)
    {
        using var context = self.Forward(hidden, masks);
        return output.forward(context, hidden);
    }
}
