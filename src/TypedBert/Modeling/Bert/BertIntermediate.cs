using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>intermediate.*</c>: the feed-forward expansion and its activation.</summary>
internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear dense;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates the expansion for <paramref name="config"/>.</summary>
    public BertIntermediate(EncoderConfig config) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden)
    {
        using var expanded = dense.Project(hidden);
        return activation(expanded);
    }
}
