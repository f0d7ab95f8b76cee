namespace TypedBert.Classification;

/// <summary>The number format of a <see cref="TextClassifier"/>'s matmuls at prediction time.</summary>
public enum InferencePrecision
{
    /// <summary>
    /// <see cref="BFloat16"/> on a CPU with a bf16 matmul unit (see <see cref="Modeling.CpuFeatures.HasBFloat16Matmul"/>),
    /// otherwise <see cref="Float32"/>.
    /// </summary>
    Auto,
    /// <summary>Everything in fp32.</summary>
    Float32,
    /// <summary>
    /// The Linear layers' matmuls in bf16 (weights copied to bf16 once), LayerNorm, softmax, attention and residual adds in fp32
    /// (see <see cref="Modeling.MixedPrecision"/>). Logits differ from fp32 by about 1e-2; see docs/performance.md for accuracy.
    /// </summary>
    BFloat16,
}
