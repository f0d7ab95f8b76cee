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

    /// <summary>
    /// Static (calibrated) int8: weights int8, symmetric, one scale per output channel; every encoder matmul's inputs (the Linear
    /// layers' and the attention's query, key, softmax and value) quantized to uint8 with ranges fixed from
    /// <see cref="OnnxExportOptions.CalibrationTexts"/>, written as the QuantizeLinear/DequantizeLinear pairs ONNX Runtime fuses
    /// into int8 kernels. LayerNorm, softmax, GELU and the head stay float32.
    /// </summary>
    Int8Static,
}

/// <summary>Options of <see cref="OnnxExport"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>The operators the graph uses.</summary>
    public OnnxOperators Operators { get; init; } = OnnxOperators.OnnxRuntime;

    /// <summary>Float32 or int8 weights.</summary>
    public OnnxQuantization Quantization { get; init; } = OnnxQuantization.None;

    /// <summary>
    /// Texts of the model's task whose activations fix the ranges of <see cref="OnnxQuantization.Int8Static"/> (a few hundred
    /// suffice); required by it and ignored by the other quantizations.
    /// </summary>
    public IReadOnlyList<string>? CalibrationTexts { get; init; }

    /// <summary>
    /// The share of each calibrated activation's values that its range keeps (the rest clip): 1 keeps the extremes (min-max),
    /// 0.9999 drops the outermost 0.01 % on each side (percentile). Default min-max, chosen on dev sentences by <c>bench accuracy</c>; see docs/performance.md.
    /// </summary>
    internal double CalibrationPercentile { get; init; } = StaticCalibration.DefaultPercentile;

    /// <summary>Whether the static graph quantizes the attention's score and context products too (else only the Linear layers).</summary>
    internal bool QuantizeAttentionProducts { get; init; } = true;

    /// <summary>
    /// The activations a static int8 graph leaves float (with the product they feed), by name: <c>bert.encoder.layer.0.output.dense:input</c>
    /// (a Linear layer's input), <c>...attention.self.query:key</c> (<c>:query</c>, <c>:value</c>, <c>:probabilities</c>: the attention's
    /// products). Null: every one is quantized.
    /// </summary>
    internal Func<string, bool>? FloatActivations { get; init; }

    /// <summary>
    /// A graph for batches without padding: the attention takes no mask (ONNX Runtime's fp32 <c>MultiHeadAttention</c> then runs its
    /// flash kernel). Its logits are wrong for a padded batch; <see cref="OnnxRuntimeClassifier"/> runs it only on unpadded ones.
    /// </summary>
    internal bool WithoutAttentionMask { get; init; }
}
