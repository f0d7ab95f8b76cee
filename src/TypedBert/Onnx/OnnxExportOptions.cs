namespace TypedBert.Onnx;

/// <summary>Which operators an exported graph is written with.</summary>
public enum OnnxOperators
{
    /// <summary>
    /// ONNX Runtime's fused operators of the <c>com.microsoft</c> domain (<c>Attention</c>, <c>QAttention</c>,
    /// <c>BiasGelu</c>, <c>DynamicQuantizeMatMul</c>): the fastest graph for ONNX Runtime in any language, Hugging Face optimum and
    /// Triton's ONNX Runtime backend, but for no other runtime.
    /// </summary>
    OnnxRuntime,

    /// <summary>Standard ai.onnx operators only (opset 17), for any ONNX runtime; int8 uses <c>DynamicQuantizeLinear</c> and <c>MatMulInteger</c>.</summary>
    Standard,
}

/// <summary>How the weights of an exported graph are stored.</summary>
public enum OnnxQuantization
{
    /// <summary>float32 weights and arithmetic.</summary>
    None,

    /// <summary>
    /// Dynamic int8 quantization of every encoder Linear layer: weights int8, symmetric, one scale per output channel; activations
    /// quantized to uint8 per batch at run time. Embeddings, LayerNorms and the classification head stay float32.
    /// </summary>
    Int8,
}

/// <summary>Options of <see cref="OnnxExport"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The operators the graph uses.</summary>
    public OnnxOperators Operators { get; init; } = OnnxOperators.OnnxRuntime;

    /// <summary>Float32 or int8 weights.</summary>
    public OnnxQuantization Quantization { get; init; } = OnnxQuantization.None;
}
