using TypedBert.Classification;

namespace TypedBert.Onnx;

/// <summary>
/// Finds the graphs of a folder written by <see cref="OnnxExport"/>: <c>onnx/model.onnx</c> (fp32) and
/// <c>onnx/model_quantized.onnx</c> (int8), where transformers.js looks for them, or a <c>model.onnx</c> beside config.json, as
/// TypedBert wrote them before and as optimum writes them (fp32 or int8: its metadata says which).
/// </summary>
internal static class ExportedGraphs
{
    /// <summary>
    /// The graphs in <paramref name="directory"/> by the engine that runs them; null stands for a <c>model.onnx</c> beside
    /// config.json, whose engine only its metadata tells. Empty when the folder has no graph.
    /// </summary>
    public static IReadOnlyList<(InferenceEngine? Engine, string Path)> Find(string directory)
    {
        var found = new List<(InferenceEngine?, string)>();
        foreach (var (engine, quantization) in new[] { (InferenceEngine.OnnxRuntime, OnnxQuantization.None), (InferenceEngine.OnnxRuntimeInt8, OnnxQuantization.Int8), (InferenceEngine.OnnxRuntimeInt8Static, OnnxQuantization.Int8Static) })
        {
            string path = Path.Combine(directory, OnnxExport.GraphPath(quantization));
            if (File.Exists(path)) found.Add((engine, path));
        }
        string beside = Path.Combine(directory, OnnxExport.ModelFileName);
        if (found.Count == 0 && File.Exists(beside)) found.Add((null, beside));
        return found;
    }

    /// <summary>The engine of <paramref name="quantization"/>, as <see cref="OnnxRuntimeClassifier.Quantization"/> reads it from a graph.</summary>
    public static InferenceEngine EngineOf(OnnxQuantization quantization) => quantization switch
    {
        OnnxQuantization.Int8 => InferenceEngine.OnnxRuntimeInt8,
        OnnxQuantization.Int8Static => InferenceEngine.OnnxRuntimeInt8Static,
        _ => InferenceEngine.OnnxRuntime,
    };

    /// <summary>How messages name the graph of <paramref name="engine"/>: fp32, int8 or static int8.</summary>
    public static string Kind(InferenceEngine engine) => engine switch
    {
        InferenceEngine.OnnxRuntimeInt8 => "int8",
        InferenceEngine.OnnxRuntimeInt8Static => "static int8",
        _ => "fp32",
    };

    /// <summary>How a message names the graph of <paramref name="engine"/>: <c>onnx/model.onnx (fp32)</c>.</summary>
    public static string Describe(InferenceEngine engine, string path, string directory) =>
        $"{Path.GetRelativePath(directory, path).Replace('\\', '/')} ({Kind(engine)})";
}
