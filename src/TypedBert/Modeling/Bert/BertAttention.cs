using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>attention.*</c>: self-attention followed by its residual output block.</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the attention block for <paramref name="config"/>.</summary>
    public BertAttention(EncoderConfig config) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var context = self.forward(hidden, additiveMask);
        return output.forward(context, hidden);
    }
}
