using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary><c>attention.*</c>: DistilBERT's multi-head self-attention (<c>q_lin</c>, <c>k_lin</c>, <c>v_lin</c>, <c>out_lin</c>).</summary>
internal sealed class DistilBertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear q_lin;
    private readonly Linear k_lin;
    private readonly Linear v_lin;
    private readonly Linear out_lin;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly double attentionDropout;

    /// <summary>Creates the projections for <paramref name="config"/>.</summary>
    public DistilBertSelfAttention(EncoderConfig config) : base(nameof(DistilBertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        attentionDropout = config.AttentionProbsDropoutProb;
        q_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        k_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        v_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        out_lin = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">[batch, sequence, hidden].</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence], from <see cref="AttentionMasks.ToAdditive"/>.</param>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var context = MultiHeadAttention.Attend(q_lin.Project(hidden), k_lin.Project(hidden), v_lin.Project(hidden), additiveMask, heads,
            training ? attentionDropout : 0.0);
        return out_lin.Project(context).MoveToOuterDisposeScope();
    }
}
