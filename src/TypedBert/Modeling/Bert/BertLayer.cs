using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>encoder.layer.N.*</c>: attention, then the feed-forward block.</summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates one transformer layer for <paramref name="config"/>.</summary>
    public BertLayer(EncoderConfig config) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var attended = attention.forward(hidden, additiveMask);
        using var expanded = intermediate.forward(attended);
        return output.forward(expanded, attended);
    }
}
