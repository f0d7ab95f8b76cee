using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary><c>encoder.*</c>: the stack of Longformer layers.</summary>
internal sealed class LongformerEncoder : nn.Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly ModuleList<LongformerLayer> layer;
#pragma warning restore IDE1006

    /// <summary>Creates one layer per entry of <paramref name="windows"/>.</summary>
    public LongformerEncoder(EncoderConfig config, IReadOnlyList<int> windows) : base(nameof(LongformerEncoder))
    {
        layer = nn.ModuleList(windows.Select(w => new LongformerLayer(config, w)).ToArray());
        RegisterComponents();
    }

    /// <summary>Runs every layer.</summary>
    public Tensor Forward(Tensor hidden, LongformerMasks masks)
    {
        using var scope = NewDisposeScope();
        var current = hidden;
        foreach (var block in layer) current = block.Forward(current, masks);
        return current.MoveToOuterDisposeScope();
    }
}
