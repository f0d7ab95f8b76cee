using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>
/// bf16 copies of the weight and bias of every Linear layer in a module, taken once, for inference under
/// <see cref="MixedPrecision.BFloat16"/>. The module keeps its fp32 weights (for saving, training and fp32 prediction);
/// the copies cost half the Linear layers' fp32 memory again. Copies go stale when the weights change: take new ones.
/// </summary>
internal sealed class BFloat16Weights : IDisposable
{
    readonly Dictionary<Linear, (Tensor Weight, Tensor? Bias)> copies = new(ReferenceEqualityComparer.Instance);

    /// <summary>Copies the Linear layers of <paramref name="module"/> (and of its submodules) to bf16.</summary>
    public BFloat16Weights(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var noGrad = no_grad(); // the copies are plain tensors, outside any autograd graph
        foreach (var layer in module.modules().Prepend(module).OfType<Linear>()) // modules() leaves out the module itself
            copies[layer] = (layer.weight!.to(ScalarType.BFloat16), layer.bias?.to(ScalarType.BFloat16));
    }

    /// <summary>Number of Linear layers copied.</summary>
    public int Count => copies.Count;

    internal bool TryGet(Linear layer, out (Tensor Weight, Tensor? Bias) copy) => copies.TryGetValue(layer, out copy);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (weight, bias) in copies.Values)
        {
            weight.Dispose();
            bias?.Dispose();
        }
        copies.Clear();
    }
}
