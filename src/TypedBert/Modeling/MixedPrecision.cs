using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling;

/// <summary>
/// bfloat16 matmuls for the Linear layers of every model in this library, on the current thread while a scope from
/// <see cref="BFloat16"/> is open: TorchSharp has no autocast, so this is autocast restricted to where bf16 pays. Inputs and
/// weights are cast to bf16 for the matmul and the result is cast back to the input's dtype, so LayerNorm, softmax,
/// attention and residual adds stay in fp32. In training, the casts are part of the autograd graph: the gradients reach the
/// fp32 master weights, and the backward matmuls run in bf16 too.
/// </summary>
internal static class MixedPrecision
{
    [ThreadStatic] static Scope? active;

    /// <summary>Whether Linear layers on this thread currently run in bf16.</summary>
    public static bool IsBFloat16Active => active is not null;

    /// <summary>
    /// Opens a bf16 scope on this thread until disposed (scopes nest). With <paramref name="weights"/>, the Linear layers it covers
    /// use its ready-made bf16 copies instead of casting their weights on every call (inference); without, every call casts
    /// (training, where the weights change each step).
    /// </summary>
    public static IDisposable BFloat16(BFloat16Weights? weights = null) => active = new Scope(active, weights);

    /// <summary>
    /// <paramref name="layer"/> applied to <paramref name="input"/>: its own forward, or, inside a <see cref="BFloat16"/> scope,
    /// the same product computed in bf16 and returned in <paramref name="input"/>'s dtype.
    /// </summary>
    public static Tensor Project(this Linear layer, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var scope = active;
        if (scope is null || input.dtype == ScalarType.BFloat16) return layer.forward(input);
        using var disposeScope = NewDisposeScope();
        var (weight, bias) = scope.Weights is not null && scope.Weights.TryGet(layer, out var cached)
            ? cached
            : (layer.weight!.to(ScalarType.BFloat16), layer.bias?.to(ScalarType.BFloat16));
        var product = nn.functional.linear(input.to(ScalarType.BFloat16), weight, bias);
        return product.to(input.dtype).MoveToOuterDisposeScope();
    }

    sealed class Scope(Scope? outer, BFloat16Weights? weights) : IDisposable
    {
        bool disposed;

        public BFloat16Weights? Weights { get; } = weights ?? outer?.Weights;

        public void Dispose()
        {
            if (disposed) return;
            if (!ReferenceEquals(active, this))
                throw new InvalidOperationException("bf16 scopes must be disposed in the reverse order of opening, on the thread that opened them");
            disposed = true;
            active = outer;
        }
    }
}
