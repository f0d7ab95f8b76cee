using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary><c>ffn.*</c>: <c>lin1</c>, the activation, <c>lin2</c>, dropout.</summary>
internal sealed class DistilBertFeedForward : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear lin1;
    private readonly Linear lin2;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006
    private readonly Func<Tensor, Tensor> activation;

    /// <summary>Creates the feed-forward block for <paramref name="config"/>.</summary>
    public DistilBertFeedForward(EncoderConfig config) : base(nameof(DistilBertFeedForward))
    {
        lin1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        lin2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        dropout = new CounterDropout(config.HiddenDropoutProb);
        activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dropout.forward(lin2.Project(activation(lin1.Project(hidden)))).MoveToOuterDisposeScope();
    }
}
