namespace TypedBert.Onnx;

/// <summary>The calibrated range of one activation of a static int8 graph, and its uint8 quantization.</summary>
/// <param name="Min">The smallest value kept (clipping below).</param>
/// <param name="Max">The largest value kept (clipping above).</param>
internal readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>
    /// Asymmetric uint8, as ONNX Runtime's quantizer computes it: the range widened to include 0 (so that 0, the padding's value,
    /// is exact), scale = (max - min) / 255, zero point = round(-min / scale).
    /// </summary>
    public (float Scale, byte ZeroPoint) ToUInt8()
    {
        float min = Math.Min(Min, 0f), max = Math.Max(Max, 0f);
        float scale = max > min ? (max - min) / 255f : 1f;
        return (scale, (byte)Math.Clamp(Math.Round(-min / scale), 0, 255));
    }
}
