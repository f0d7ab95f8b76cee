using TorchSharp.Modules;
using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Bert;

/// <summary>
/// The encoder, dropout and a linear head: Hugging Face's <c>BertForSequenceClassification</c>, with the same state-dict names
/// (<c>bert.*</c>, <c>classifier.weight</c>, <c>classifier.bias</c>).
/// </summary>
internal sealed class BertForSequenceClassification : SequenceClassificationModel
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertModel bert;
    private readonly CounterDropout dropout;
    private readonly Linear classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model; the pooler exists only for <see cref="PoolingStrategy.Pooler"/> heads.</summary>
    public BertForSequenceClassification(SequenceClassificationConfig config) : base(nameof(BertForSequenceClassification), config)
    {
        bert = new BertModel(config.Encoder, addPoolingLayer: config.Pooling == PoolingStrategy.Pooler);
        dropout = new CounterDropout(config.ClassifierDropout ?? config.Encoder.HiddenDropoutProb);
        classifier = nn.Linear(config.Encoder.HiddenSize, config.NumLabels);
        RegisterComponents();
        WeightInitialization.Apply(classifier, config.Encoder.InitializerRange);
    }

    /// <summary>The encoder.</summary>
    public BertModel Bert => bert;

    /// <inheritdoc />
    public override ITextEncoder Encoder => bert;

    /// <inheritdoc />
    public override Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        using var encoded = bert.Forward(inputIds, attentionMask, tokenTypeIds);
        // alias(): a handle of its own, since disposing the encoder's output disposes its pooler output.
        var pooled = Config.Pooling == PoolingStrategy.Pooler ? encoded.PoolerOutput!.alias() : FirstTokenOrMean(encoded.LastHiddenState, attentionMask);
        return pooled.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        return classifier.Project(dropout.forward(features)).MoveToOuterDisposeScope();
    }
}
