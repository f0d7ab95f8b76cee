using TorchSharp.Modules;
using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.Modeling.DistilBert;

/// <summary>
/// transformers' <c>DistilBertForSequenceClassification</c>: the first token's hidden state through <c>pre_classifier</c>, ReLU,
/// dropout (<c>seq_classif_dropout</c>) and <c>classifier</c>. With <see cref="PoolingStrategy.Mean"/> the mean of the tokens takes
/// the first token's place.
/// </summary>
internal sealed class DistilBertForSequenceClassification : SequenceClassificationModel
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly DistilBertModel distilbert;
    private readonly Linear pre_classifier;
    private readonly Linear classifier;
    private readonly CounterDropout dropout;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model.</summary>
    public DistilBertForSequenceClassification(SequenceClassificationConfig config) : base(nameof(DistilBertForSequenceClassification), config)
    {
        int hidden = config.Encoder.HiddenSize;
        distilbert = new DistilBertModel(config.Encoder);
        pre_classifier = nn.Linear(hidden, hidden);
        classifier = nn.Linear(hidden, config.NumLabels);
        dropout = new CounterDropout(config.ClassifierDropout ?? config.Encoder.ExtraDouble("seq_classif_dropout", 0.2));
        RegisterComponents();
        WeightInitialization.Apply(pre_classifier, config.Encoder.InitializerRange);
        WeightInitialization.Apply(classifier, config.Encoder.InitializerRange);
    }

    /// <inheritdoc />
    public override ITextEncoder Encoder => distilbert;

    /// <inheritdoc />
    public override Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        using var encoded = distilbert.Forward(inputIds, attentionMask);
        return FirstTokenOrMean(encoded.LastHiddenState, attentionMask).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override Tensor Head(Tensor features)
    {
        using var scope = NewDisposeScope();
        var pooled = nn.functional.relu(pre_classifier.Project(features));
        return classifier.Project(dropout.forward(pooled)).MoveToOuterDisposeScope();
    }
}
