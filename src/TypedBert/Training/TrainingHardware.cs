using TypedBert.Modeling;

namespace TypedBert.Training;

/// <summary>What this machine offers training, for tools that suggest settings (the CPU probe itself is internal).</summary>
public static class TrainingHardware
{
    /// <summary>Whether the CPU multiplies bf16 matrices in hardware (AVX512-BF16 or AMX), where <see cref="TrainingOptions.BFloat16MixedPrecision"/> pays off.</summary>
    public static bool HasBFloat16Matmul => CpuFeatures.HasBFloat16Matmul;
}
