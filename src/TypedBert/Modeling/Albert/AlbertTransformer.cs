using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary>
/// <c>encoder.*</c>: <c>embedding_hidden_mapping_in</c> widens the embeddings to hidden_size, then num_hidden_layers passes
/// through num_hidden_groups shared layer groups (one group, reused by every layer, in every released ALBERT).
/// </summary>
internal sealed class AlbertTransformer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear embedding_hidden_mapping_in;
    private readonly ModuleList<AlbertLayerGroup> albert_layer_groups;
#pragma warning restore IDE1006
    private readonly int layers;

    /// <summary>Creates the shared groups for <paramref name="config"/>.</summary>
    public AlbertTransformer(EncoderConfig config, AlbertShape shape) : base(nameof(AlbertTransformer))
    {
        layers = config.NumHiddenLayers;
        embedding_hidden_mapping_in = nn.Linear(shape.EmbeddingSize, config.HiddenSize);
        albert_layer_groups = nn.ModuleList(Enumerable.Range(0, shape.HiddenGroups).Select(_ => new AlbertLayerGroup(config, shape.InnerGroupLayers)).ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor embedded, Tensor additiveMask)
    {
        using var scope = NewDisposeScope();
        var current = embedding_hidden_mapping_in.Project(embedded);
        int groups = albert_layer_groups.Count;
        for (int i = 0; i < layers; i++) current = albert_layer_groups[i * groups / layers].forward(current, additiveMask);
        return current.MoveToOuterDisposeScope();
    }
}
