using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary><c>attention.*</c>: query, key, value, the output projection <c>dense</c> and the residual <c>LayerNorm</c>, in one module.</summary>
internal sealed class AlbertAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly CounterDropout output_dropout;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly double attentionDropout;

    /// <summary>Creates the attention block for <paramref name="config"/>.</summary>
    public AlbertAttention(EncoderConfig config) : base(nameof(AlbertAttention))
    {
        heads = config.NumAttentionHeads;
        attentionDropout = config.AttentionProbsDropoutProb;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        output_dropout = new CounterDropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">[batch, sequence, hidden].</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence], from <see cref="AttentionMasks.ToAdditive"/>.</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var context = MultiHeadAttention.Attend(query.Project(hidden), key.Project(hidden), value.Project(hidden), additiveMask, heads,
            training ? attentionDropout : 0.0);
        var projected = dense.Project(context);
        return LayerNorm.forward(hidden + output_dropout.forward(projected)).MoveToOuterDisposeScope();
    }
}
