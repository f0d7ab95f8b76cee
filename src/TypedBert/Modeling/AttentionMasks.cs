using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>Turns a [batch, sequence] mask of 1 (token) and 0 (padding) into what attention adds to its scores.</summary>
internal static class AttentionMasks
{
    /// <summary>
    /// [batch, 1, 1, sequence]: 0 where a key may be attended to, the lowest finite value of <paramref name="dtype"/> where it is padding.
    /// The lowest finite value rather than -inf keeps fully padded rows finite (softmax of equal values), as Hugging Face does.
    /// </summary>
    public static Tensor ToAdditive(Tensor attentionMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var keep = attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(2);
        var additive = zeros(keep.shape, dtype, attentionMask.device)
            .masked_fill(keep.logical_not(), LowestFinite(dtype));
        return additive.MoveToOuterDisposeScope();
    }

    static Scalar LowestFinite(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        _ => throw new ArgumentException($"attention masks need a floating-point dtype, not {dtype}", nameof(dtype)),
    };
}
