using TorchSharp.Modules;
using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Roberta;

/// <summary>
/// <c>classifier.*</c> of RoBERTa and Longformer: dropout, <c>dense</c>, tanh, dropout, <c>out_proj</c> over one vector per text
/// (transformers' <c>RobertaClassificationHead</c> and <c>LongformerClassificationHead</c>).
/// </summary>
internal sealed class RobertaClassificationHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly Linear dense;
    private readonly CounterDropout dropout;
    private readonly Linear out_proj;
#pragma warning restore IDE1006

    /// <summary>Creates the head for <paramref name="config"/>.</summary>
    public RobertaClassificationHead(SequenceClassificationConfig config) : base(nameof(RobertaClassificationHead))
    {
        dense = nn.Linear(config.Encoder.HiddenSize, config.Encoder.HiddenSize);
        dropout = new CounterDropout(config.ClassifierDropout ?? config.Encoder.HiddenDropoutProb);
        out_proj = nn.Linear(config.Encoder.HiddenSize, config.NumLabels);
        RegisterComponents();
        WeightInitialization.Apply(this, config.Encoder.InitializerRange);
    }

    /// <param name="pooled">[batch, hidden]: the first token's (<c>&lt;s&gt;</c>) hidden state.</param>
    public override Tensor forward(Tensor pooled)
    {
        using var scope = NewDisposeScope();
        return out_proj.Project(dropout.forward(dense.Project(dropout.forward(pooled)).tanh())).MoveToOuterDisposeScope();
    }
}
