using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>The shape checks every encoder makes on its inputs.</summary>
internal static class EncoderInputs
{
    /// <exception cref="ArgumentException">input_ids is not [batch, sequence] or the mask's shape differs.</exception>
    public static void Check(Tensor inputIds, Tensor attentionMask)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"input_ids must be [batch, sequence], got [{string.Join(", ", inputIds.shape)}]", nameof(inputIds));
        if (!attentionMask.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"attention_mask [{string.Join(", ", attentionMask.shape)}] does not match input_ids [{string.Join(", ", inputIds.shape)}]", nameof(attentionMask));
    }
}
