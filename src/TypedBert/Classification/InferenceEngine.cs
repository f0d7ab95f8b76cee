namespace TypedBert.Classification;

/// <summary>What runs a <see cref="TextClassifier"/>'s forward pass at prediction time. Training always runs on libtorch.</summary>
public enum InferenceEngine
{
    /// <summary>libtorch, the engine that trains: fp32 or bf16 as <see cref="TextClassifier.Precision"/> says.</summary>
    Torch,

    /// <summary>
    /// ONNX Runtime on the fp32 graph TypedBert writes from the weights (the Onnx folder's export, ONNX Runtime's fused
    /// operators); logits equal libtorch fp32's within 1e-4. Longformer is not supported.
    /// </summary>
    OnnxRuntime,

    /// <summary>
    /// ONNX Runtime on the int8 graph: Linear weights int8 per output channel, activations quantized per batch. The fastest CPU
    /// engine; logits move by the quantization error (see docs/performance.md for its accuracy on SST-2).
    /// </summary>
    OnnxRuntimeInt8,

    /// <summary>
    /// ONNX Runtime on the static (calibrated) int8 graph of an exported folder (<c>typedbert export --quantize int8-static
    /// --calibration data.tsv</c>): activation ranges fixed from calibration texts, so the attention's products run in int8 too.
    /// </summary>
    OnnxRuntimeInt8Static,
}
