using System.CommandLine;
using TypedBert.Classification;

namespace TypedBert.Cli.Commands;

/// <summary><c>--engine torch|onnxruntime|int8</c>, shared by predict, eval and serve.</summary>
internal static class EngineOption
{
    static readonly Dictionary<string, InferenceEngine> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["torch"] = InferenceEngine.Torch,
        ["onnxruntime"] = InferenceEngine.OnnxRuntime,
        ["int8"] = InferenceEngine.OnnxRuntimeInt8,
    };

    public static Option<InferenceEngine> Create() => new("--engine")
    {
        Description = "What runs the model: torch (libtorch, fp32 or bf16 per --precision), onnxruntime (ONNX Runtime, fp32) or int8 (ONNX Runtime, int8 weights)",
        DefaultValueFactory = _ => InferenceEngine.Torch,
        CustomParser = result =>
        {
            string token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (ByName.TryGetValue(token, out var engine)) return engine;
            result.AddError($"--engine {token}: expected one of {string.Join(", ", ByName.Keys)}");
            return InferenceEngine.Torch;
        },
    };
}
