using TorchSharp;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>The activation functions that Hugging Face configs name in <c>hidden_act</c>.</summary>
internal static class Activations
{
    static readonly Dictionary<string, Func<Tensor, Tensor>> ByName = new(StringComparer.Ordinal)
    {
        ["gelu"] = x => nn.functional.gelu(x),
        ["gelu_new"] = x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        ["gelu_pytorch_tanh"] = x => nn.functional.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        ["relu"] = x => nn.functional.relu(x),
        ["silu"] = x => nn.functional.silu(x),
        ["swish"] = x => nn.functional.silu(x),
        ["tanh"] = x => x.tanh(),
    };

    /// <summary>The names accepted in <c>hidden_act</c>.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    /// <summary>Whether <paramref name="name"/> is a supported activation.</summary>
    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    /// <summary>The function for <paramref name="name"/>.</summary>
    public static Func<Tensor, Tensor> Get(string name) =>
        ByName.TryGetValue(name, out var function) ? function : throw new ArgumentException($"unknown activation \"{name}\"", nameof(name));
}
