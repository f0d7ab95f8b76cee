using TypedBert.Modeling;

namespace TypedBert.Classification;

/// <summary>
/// The engine a classifier predicts with when its settings name none: the fastest that stays within fp32's accuracy, as
/// <c>bench inference</c> measured the engines on MiniLM (docs/performance.md, "Which engine is the default"). int8 engines are
/// never chosen by themselves: they change predictions, so they run only when asked for.
/// </summary>
internal static class EngineChoice
{
    /// <summary>The engine for a model, and why, in a line a command can print.</summary>
    /// <param name="hasOnnxGraph">Whether the model's family has an ONNX graph writer (every family but Longformer).</param>
    /// <param name="onCpu">Whether the weights are on the CPU (ONNX Runtime's engines run there only).</param>
    /// <param name="bf16Unit">Whether the CPU multiplies bf16 in hardware (<see cref="CpuFeatures.HasBFloat16Matmul"/>).</param>
    public static (InferenceEngine Engine, string Reason) Automatic(bool hasOnnxGraph, bool onCpu, bool bf16Unit)
    {
        if (!onCpu) return (InferenceEngine.Torch, "libtorch: the weights are not on the CPU, where ONNX Runtime's engines run");
        if (bf16Unit)
            return (InferenceEngine.Torch, "libtorch with bf16 matmuls (InferencePrecision.Auto): this CPU has a bf16 unit, where bf16 measured 1.50x ONNX Runtime fp32 and the ONNX Runtime engine 1.05x");
        if (hasOnnxGraph)
            return (InferenceEngine.OnnxRuntime, "ONNX Runtime fp32 (logits equal libtorch's within 1e-4): without a bf16 unit it measured 1.05x ONNX Runtime on the original file, libtorch fp32 0.58x");
        return (InferenceEngine.Torch, "libtorch fp32: this model family has no ONNX graph");
    }
}
