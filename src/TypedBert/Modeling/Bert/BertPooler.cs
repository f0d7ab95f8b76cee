using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary><c>pooler.*</c>: tanh(dense(hidden state of the first token)), the sentence vector BERT was pre-trained to produce.</summary>
internal sealed class BertPooler : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear dense;
#pragma warning restore IDE1006

    /// <summary>Creates the pooler for <paramref name="config"/>.</summary>
    public BertPooler(EncoderConfig config) : base(nameof(BertPooler))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor lastHiddenState)
    {
        using var scope = NewDisposeScope();
        return dense.Project(lastHiddenState.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }
}
