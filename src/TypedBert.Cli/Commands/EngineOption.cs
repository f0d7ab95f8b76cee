using System.CommandLine;
using TypedBert.Classification;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>--engine torch|onnxruntime|int8</c>, shared by predict, eval and serve; <see cref="InferenceEngine"/>'s own names
/// (<c>OnnxRuntimeInt8</c>) are accepted too, in any case. Left out, a folder runs on its own engine: libtorch for a saved
/// classifier, the graph's for a folder written by <c>typedbert export</c>.
/// </summary>
internal static class EngineOption
{
    static readonly Dictionary<string, InferenceEngine> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["torch"] = InferenceEngine.Torch,
        ["onnxruntime"] = InferenceEngine.OnnxRuntime,
        ["int8"] = InferenceEngine.OnnxRuntimeInt8,
        [nameof(InferenceEngine.OnnxRuntimeInt8)] = InferenceEngine.OnnxRuntimeInt8,
        ["int8-static"] = InferenceEngine.OnnxRuntimeInt8Static,
        [nameof(InferenceEngine.OnnxRuntimeInt8Static)] = InferenceEngine.OnnxRuntimeInt8Static,
    };

    public static Option<InferenceEngine?> Create() => new("--engine")
    {
        Description = "What runs the model: torch (libtorch, fp32 or bf16 per --precision), onnxruntime (ONNX Runtime, fp32), int8 "
            + "(ONNX Runtime, int8 weights; also spelled OnnxRuntimeInt8) or int8-static (an exported folder's calibrated int8 graph). Default: torch for a saved classifier, the graph's engine for an exported folder",
        CustomParser = result =>
        {
            string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ByName.TryGetValue(token, out var engine)) return engine;
            result.AddError($"--engine {token}: expected one of torch, onnxruntime, int8 (also spelled OnnxRuntimeInt8), int8-static (also spelled OnnxRuntimeInt8Static), in any case");
            return null;
        },
    };

    /// <summary>
    /// A classifier over <paramref name="loaded"/>'s weights with <paramref name="settings"/> and the <paramref name="requested"/> engine
    /// (the settings' own when null), or null after printing why the folder cannot run that engine (an exported folder has no weights
    /// for torch, and only the graphs it holds). The caller disposes the result and <paramref name="loaded"/>.
    /// </summary>
    public static TextClassifier? TryWith(TextClassifier loaded, PredictionSettings settings, InferenceEngine? requested)
    {
        try
        {
            return loaded.WithSettings(requested is { } engine ? settings with { Engine = engine } : settings);
        }
        catch (InvalidOperationException e) when (requested is { } engine)
        {
            Console.Error.WriteLine($"--engine {Name(engine)}: {e.Message}");
            return null;
        }
    }

    /// <summary>The line that says which engine runs and why: <c>engine: Torch BFloat16 (libtorch with bf16 matmuls ...)</c>.</summary>
    public static string Describe(TextClassifier classifier) =>
        $"engine: {classifier.Engine}{(classifier.Engine == InferenceEngine.Torch ? $" {classifier.EffectivePrecision}" : "")} ({classifier.EngineReason})";

    static string Name(InferenceEngine engine) => ByName.First(p => p.Value == engine).Key;
}
