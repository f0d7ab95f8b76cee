using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary>
/// <c>attention.output.*</c> and <c>output.*</c>: dense projection, dropout, then LayerNorm of the sum with the block's input.
/// Hugging Face calls these BertSelfOutput and BertOutput; they differ only in the projection's input width.
/// </summary>
internal sealed class BertResidualOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the block; <paramref name="inputSize"/> is hidden_size after attention, intermediate_size after the feed-forward.</summary>
    public BertResidualOutput(EncoderConfig config, int inputSize) : base(nameof(BertResidualOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">The sub-layer's output.</param>
    /// <param name="residual">The sub-layer's input.</param>
    public override Tensor forward(Tensor hidden, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.Project(hidden)) + residual).MoveToOuterDisposeScope();
    }
}
