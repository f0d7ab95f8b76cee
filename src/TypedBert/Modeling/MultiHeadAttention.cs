using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>The attention step the BERT family shares; each module keeps its own projections (and their checkpoint names).</summary>
internal static class MultiHeadAttention
{
    /// <summary>
    /// Splits the projections into heads, attends with libtorch's fused kernel (or, when training on the CPU with dropout,
    /// with the product written out and <see cref="CounterDropout"/> masks), and joins the heads again.
    /// </summary>
    /// <param name="query">[batch, sequence, hidden] query projection.</param>
    /// <param name="key">[batch, sequence, hidden] key projection.</param>
    /// <param name="value">[batch, sequence, hidden] value projection.</param>
    /// <param name="additiveMask">[batch, 1, 1, sequence], from <see cref="AttentionMasks.ToAdditive"/>.</param>
    /// <param name="heads">Number of heads; the hidden size must be a multiple.</param>
    /// <param name="dropout">Attention dropout probability (0 outside training).</param>
    /// <returns>[batch, sequence, hidden], the heads concatenated.</returns>
    public static Tensor Attend(Tensor query, Tensor key, Tensor value, Tensor additiveMask, int heads, double dropout)
    {
        long batch = query.shape[0], sequence = query.shape[1], hidden = query.shape[2];
        Tensor SplitHeads(Tensor x) => x.view(batch, sequence, heads, hidden / heads).transpose(1, 2);
        var context = dropout > 0 && query.device_type == DeviceType.CPU
            ? AttendWithDropout(SplitHeads(query), SplitHeads(key), SplitHeads(value), additiveMask, dropout)
            : nn.functional.scaled_dot_product_attention(SplitHeads(query), SplitHeads(key), SplitHeads(value), additiveMask, dropout);
        return context.transpose(1, 2).reshape(batch, sequence, hidden);
    }

    /// <summary>
    /// The attention product written out, for training on the CPU: libtorch's fused kernel takes no dropout there and falls
    /// back to these same steps, drawing the mask of every attention probability one element at a time.
    /// </summary>
    static Tensor AttendWithDropout(Tensor query, Tensor key, Tensor value, Tensor additiveMask, double dropout)
    {
        var scores = matmul(query, key.transpose(-1, -2)).mul_(1 / Math.Sqrt(query.shape[^1])).add_(additiveMask);
        return matmul(CounterDropout.Apply(scores.softmax(-1), dropout, training: true), value);
    }
}
