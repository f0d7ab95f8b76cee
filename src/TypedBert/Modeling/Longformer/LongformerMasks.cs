using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary>
/// Who attends to whom in a Longformer batch: padding takes no part; global tokens are seen by every token and see every token;
/// the others see the tokens within half a window on each side. Built once per forward pass and shared by the layers.
/// </summary>
internal sealed class LongformerMasks : IDisposable
{
    /// <summary>Builds the masks from the 0/1 attention mask and the 0/1 global attention mask, both [batch, sequence].</summary>
    public LongformerMasks(Tensor attentionMask, Tensor globalAttentionMask)
    {
        using var scope = NewDisposeScope();
        var real = attentionMask.to(ScalarType.Bool);
        Padding = real.logical_not().MoveToOuterDisposeScope();
        var global = real.logical_and(globalAttentionMask.to(ScalarType.Bool));
        LocalKeys = real.logical_and(global.logical_not()).MoveToOuterDisposeScope();
        GlobalCount = global.sum(1).max().item<long>();
        // Sorting by (is global, earlier first) puts each row's global positions, in order, in its first GlobalCount entries.
        long sequence = attentionMask.shape[1];
        var key = global.to(ScalarType.Int64) * sequence - arange(sequence, ScalarType.Int64, attentionMask.device);
        GlobalIndex = key.argsort(1, descending: true).narrow(1, 0, GlobalCount).contiguous().MoveToOuterDisposeScope();
        GlobalValid = global.gather(1, GlobalIndex).MoveToOuterDisposeScope();
    }

    /// <summary>[batch, sequence]: true for padding.</summary>
    public Tensor Padding { get; }

    /// <summary>[batch, sequence]: true for keys that sliding-window attention may use (real, not global).</summary>
    public Tensor LocalKeys { get; }

    /// <summary>The largest number of global tokens in a row of the batch.</summary>
    public long GlobalCount { get; }

    /// <summary>[batch, GlobalCount]: positions of each row's global tokens, padded with other positions where a row has fewer.</summary>
    public Tensor GlobalIndex { get; }

    /// <summary>[batch, GlobalCount]: which entries of <see cref="GlobalIndex"/> are real global tokens.</summary>
    public Tensor GlobalValid { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Padding.Dispose();
        LocalKeys.Dispose();
        GlobalIndex.Dispose();
        GlobalValid.Dispose();
    }
}
