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
    };

    public static Option<InferenceEngine?> Create() => new("--engine")
    {
        Description = "What runs the model: torch (libtorch, fp32 or bf16 per --precision), onnxruntime (ONNX Runtime, fp32) or int8 "
            + "(ONNX Runtime, int8 weights; also spelled OnnxRuntimeInt8). Default: torch for a saved classifier, the graph's engine for an exported folder",
        CustomParser = result =>
        {
            string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ByName.TryGetValue(token, out var engine)) return engine;
            result.AddError($"--engine {token}: expected one of torch, onnxruntime, int8 (also spelled OnnxRuntimeInt8), in any case");
            return null;
        },
    };

    /// <summary>
    /// Sets <paramref name="requested"/> on <paramref name="classifier"/>, or prints why the folder cannot run it (an exported folder
    /// has no weights for torch, and only the graphs it holds) and returns false.
    /// </summary>
    public static bool TryApply(TextClassifier classifier, InferenceEngine? requested)
    {
        if (requested is not { } engine) return true;
        try
        {
            classifier.Engine = engine;
            return true;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"--engine {Name(engine)}: {e.Message}");
            return false;
        }
    }

    static string Name(InferenceEngine engine) => ByName.First(p => p.Value == engine).Key;
}
