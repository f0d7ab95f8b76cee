using TypedBert.Classification;
using TypedBert.Modeling.Roberta;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Longformer;

/// <summary>
/// transformers' <c>LongformerForSequenceClassification</c>: the Longformer encoder (<c>longformer.*</c>) with global attention on the
/// first token, and <see cref="RobertaClassificationHead"/> on that token.
/// </summary>
internal sealed class LongformerForSequenceClassification : SequenceClassificationModel
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly LongformerModel longformer;
    private readonly RobertaClassificationHead classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model.</summary>
    public LongformerForSequenceClassification(SequenceClassificationConfig config) : base(nameof(LongformerForSequenceClassification), config)
    {
        longformer = new LongformerModel(config.Encoder);
        classifier = new RobertaClassificationHead(config);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override ITextEncoder Encoder => longformer;

    /// <inheritdoc />
    public override Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        var global = zeros_like(inputIds);
        global[.., 0] = 1;
        using var encoded = longformer.Forward(inputIds, attentionMask, global, tokenTypeIds);
        return FirstTokenOrMean(encoded.LastHiddenState, attentionMask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => classifier.forward(features);
}
