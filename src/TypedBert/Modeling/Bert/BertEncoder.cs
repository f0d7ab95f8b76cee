using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>encoder.*</c>: the stack of transformer layers.</summary>
internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    /// <summary>Creates num_hidden_layers layers for <paramref name="config"/>.</summary>
    public BertEncoder(EncoderConfig config) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>The layers, first to last (for freezing the lower ones).</summary>
    public IReadOnlyList<BertLayer> Layers => layer.ToList();

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var current = hidden;
        foreach (var block in layer) current = block.forward(current, additiveMask);
        return current.MoveToOuterDisposeScope();
    }
}
