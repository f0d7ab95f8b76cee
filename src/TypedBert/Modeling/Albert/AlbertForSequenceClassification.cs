using TorchSharp.Modules;
using TypedBert.Classification;
using static TorchSharp.torch;

namespace TypedBert.Modeling.Albert;

/// <summary>
/// transformers' <c>AlbertForSequenceClassification</c>: the ALBERT encoder (<c>albert.*</c>), its pooler, dropout
/// (<c>classifier_dropout_prob</c>) and <c>classifier</c>.
/// </summary>
internal sealed class AlbertForSequenceClassification : SequenceClassificationModel
{
#pragma warning disable IDE1006 // field names are the checkpoint's names
    private readonly AlbertModel albert;
    private readonly CounterDropout dropout;
    private readonly Linear classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised model; the pooler exists only for <see cref="PoolingStrategy.Pooler"/> heads.</summary>
    public AlbertForSequenceClassification(SequenceClassificationConfig config) : base(nameof(AlbertForSequenceClassification), config)
    {
        albert = new AlbertModel(config.Encoder, addPoolingLayer: config.Pooling == PoolingStrategy.Pooler);
        dropout = new CounterDropout(config.ClassifierDropout ?? config.Encoder.ExtraDouble("classifier_dropout_prob", 0.1));
        classifier = nn.Linear(config.Encoder.HiddenSize, config.NumLabels);
        RegisterComponents();
        WeightInitialization.Apply(classifier, config.Encoder.InitializerRange);
    }

    /// <inheritdoc />
    public override ITextEncoder Encoder => albert;

    /// <inheritdoc />
    /// <remarks>
    /// Every ALBERT layer runs the same shared weights, so the lower layers cannot be frozen alone: <paramref name="layers"/> is 0,
    /// or num_hidden_layers to freeze the shared layers with everything that uses them.
    /// </remarks>
    public override IReadOnlyList<string> FrozenParameterPrefixes(bool embeddings, int layers)
    {
        CheckLayerCount(layers);
        int count = Config.Encoder.NumHiddenLayers;
        if (layers > 0 && layers < count)
            throw new ArgumentException($"ALBERT shares one set of layer weights across all {count} layers; FreezeLayers must be 0 or {count}, not {layers}");
        var prefixes = new List<string>();
        if (embeddings) prefixes.AddRange(["albert.embeddings.", "albert.encoder.embedding_hidden_mapping_in."]);
        if (layers == count) prefixes.Add("albert.encoder.albert_layer_groups.");
        return prefixes;
    }

    /// <inheritdoc />
    public override Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var scope = NewDisposeScope();
        using var encoded = albert.Forward(inputIds, attentionMask, tokenTypeIds);
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
