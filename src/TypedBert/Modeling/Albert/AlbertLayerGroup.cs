using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary><c>albert_layer_groups.G.*</c>: inner_group_num layers run one after the other, their weights shared by every use of the group.</summary>
internal sealed class AlbertLayerGroup : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly ModuleList<AlbertLayer> albert_layers;
#pragma warning restore IDE1006

    /// <summary>Creates <paramref name="innerLayers"/> layers for <paramref name="config"/>.</summary>
    public AlbertLayerGroup(EncoderConfig config, int innerLayers) : base(nameof(AlbertLayerGroup))
    {
        albert_layers = nn.ModuleList(Enumerable.Range(0, innerLayers).Select(_ => new AlbertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var current = hidden;
        foreach (var layer in albert_layers) current = layer.forward(current, additiveMask);
        return current.MoveToOuterDisposeScope();
    }
}
