using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>attention.self.*</c>: multi-head scaled dot-product attention over query, key and value projections.</summary>
public sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
#pragma warning restore IDE1006
    private readonly int heads;
    private readonly int headSize;
    private readonly double attentionDropout;

    /// <summary>Creates the projections for <paramref name="config"/>.</summary>
    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headSize = config.HeadSize;
        attentionDropout = config.AttentionProbsDropoutProb;
        query = nn.Linear(config.HiddenSize, config.HiddenSize);
        key = nn.Linear(config.HiddenSize, config.HiddenSize);
        value = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">[batch, sequence, hidden].</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence], from <see cref="AttentionMasks.ToAdditive"/>.</param>
    /// <returns>[batch, sequence, hidden], the heads concatenated.</returns>
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        long batch = hidden.shape[0], sequence = hidden.shape[1];
        Tensor SplitHeads(Tensor x) => x.view(batch, sequence, heads, headSize).transpose(1, 2);
        var context = nn.functional.scaled_dot_product_attention(
            SplitHeads(query.Project(hidden)), SplitHeads(key.Project(hidden)), SplitHeads(value.Project(hidden)),
            additiveMask, training ? attentionDropout : 0.0);
        return context.transpose(1, 2).reshape(batch, sequence, heads * headSize).MoveToOuterDisposeScope();
    }
}
