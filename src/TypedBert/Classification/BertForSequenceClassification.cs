using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Modeling;
using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Classification;

/// <summary>
/// The encoder, dropout and a linear head: Hugging Face's <c>BertForSequenceClassification</c>, with the same state-dict names
/// (<c>bert.*</c>, <c>classifier.weight</c>, <c>classifier.bias</c>).
/// </summary>
public sealed class BertForSequenceClassification : nn.Module
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly BertModel bert;
    private readonly Dropout dropout;
    private readonly Linear classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model; the pooler exists only for <see cref="PoolingStrategy.Pooler"/> heads.</summary>
    public BertForSequenceClassification(SequenceClassificationConfig config) : base(nameof(BertForSequenceClassification))
    {
        config.Validate("SequenceClassificationConfig");
        Config = config;
        bert = new BertModel(config.Encoder, addPoolingLayer: config.Pooling == PoolingStrategy.Pooler);
        dropout = nn.Dropout(config.ClassifierDropout ?? config.Encoder.HiddenDropoutProb);
        classifier = nn.Linear(config.Encoder.HiddenSize, config.NumLabels);
        RegisterComponents();
        WeightInitialization.Apply(classifier, config.Encoder.InitializerRange);
    }

    /// <summary>The head's configuration.</summary>
    public SequenceClassificationConfig Config { get; }

    /// <summary>The encoder.</summary>
    public BertModel Bert => bert;

    /// <summary>Logits [batch, labels].</summary>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        using var encoded = bert.Forward(inputIds, attentionMask, tokenTypeIds);
        var pooled = Config.Pooling switch
        {
            PoolingStrategy.Pooler => encoded.PoolerOutput!,
            PoolingStrategy.Cls => encoded.LastHiddenState.select(1, 0),
            PoolingStrategy.Mean => MeanOverTokens(encoded.LastHiddenState, attentionMask),
            _ => throw new InvalidOperationException($"unknown pooling {Config.Pooling}"),
        };
        return classifier.forward(dropout.forward(pooled)).MoveToOuterDisposeScope();
    }

    static Tensor MeanOverTokens(Tensor hidden, Tensor attentionMask)
    {
        var mask = attentionMask.unsqueeze(-1).to(hidden.dtype);
        return (hidden * mask).sum(1) / mask.sum(1).clamp_min(1);
    }

    /// <summary>
    /// The training loss for <paramref name="logits"/>: cross-entropy (targets: int64 ids), BCE-with-logits (targets: float multi-hot)
    /// or MSE (targets: float values), as transformers computes it.
    /// </summary>
    /// <param name="logits">[batch, labels].</param>
    /// <param name="targets">Label ids [batch], multi-hot [batch, labels], or values [batch, labels].</param>
    /// <param name="classWeights">Optional per-label weights [labels] for unbalanced data (single- and multi-label).</param>
    public Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights = null) => Config.ProblemType switch
    {
        ProblemType.SingleLabel => nn.functional.cross_entropy(logits, targets, classWeights),
        ProblemType.MultiLabel => nn.functional.binary_cross_entropy_with_logits(logits, targets, pos_weights: classWeights),
        ProblemType.Regression => nn.functional.mse_loss(logits.squeeze(-1), targets.squeeze(-1)),
        _ => throw new InvalidOperationException($"unknown problem type {Config.ProblemType}"),
    };

    /// <summary>Probabilities: softmax for single-label, sigmoid for multi-label, the raw values for regression.</summary>
    public Tensor Activate(Tensor logits) => Config.ProblemType switch
    {
        ProblemType.SingleLabel => logits.softmax(-1),
        ProblemType.MultiLabel => logits.sigmoid(),
        _ => logits.alias(),
    };
}
