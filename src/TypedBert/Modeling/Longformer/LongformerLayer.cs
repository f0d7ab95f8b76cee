using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary><c>encoder.layer.N.*</c>: Longformer attention, then BERT's feed-forward block.</summary>
internal sealed class LongformerLayer : nn.Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly LongformerAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates one layer for <paramref name="config"/> with its attention <paramref name="window"/>.</summary>
    public LongformerLayer(EncoderConfig config, int window) : base(nameof(LongformerLayer))
    {
        attention = new LongformerAttention(config, window);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>Runs the layer.</summary>
    public Tensor Forward(Tensor hidden, LongformerMasks masks)
    {
        using var attended = attention.Forward(hidden, masks);
        using var expanded = intermediate.forward(attended);
        return output.forward(expanded, attended);
    }
}
