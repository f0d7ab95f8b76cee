using TypedBert.Classification;
using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Roberta;

/// <summary>
/// transformers' <c>RobertaForSequenceClassification</c>: the RoBERTa encoder (<c>roberta.*</c>, BERT's layers with position ids
/// counted from the padding index + 1, no pooler) and <see cref="RobertaClassificationHead"/> on <c>&lt;s&gt;</c>.
/// </summary>
internal sealed class RobertaForSequenceClassification : SequenceClassificationModel
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertModel roberta;
    private readonly RobertaClassificationHead classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model.</summary>
    public RobertaForSequenceClassification(SequenceClassificationConfig config) : base(nameof(RobertaForSequenceClassification), config)
    {
        roberta = new BertModel(config.Encoder, addPoolingLayer: false);
        classifier = new RobertaClassificationHead(config);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override ITextEncoder Encoder => roberta;

    /// <inheritdoc />
    public override Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        using var encoded = roberta.Forward(inputIds, attentionMask, tokenTypeIds);
        return FirstTokenOrMean(encoded.LastHiddenState, attentionMask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features) => classifier.forward(features);
}
