using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary><c>transformer.*</c>: the stack of <c>transformer.layer.N</c> blocks.</summary>
internal sealed class DistilBertTransformer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly ModuleList<DistilBertLayer> layer;
#pragma warning restore IDE1006

    /// <summary>Creates n_layers blocks for <paramref name="config"/>.</summary>
    public DistilBertTransformer(EncoderConfig config) : base(nameof(DistilBertTransformer))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DistilBertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var current = hidden;
        foreach (var block in layer) current = block.forward(current, additiveMask);
        return current.MoveToOuterDisposeScope();
    }
}
