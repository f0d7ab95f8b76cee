using TorchSharp;
using TypedBert.Classification.Problems;
using TypedBert.Modeling;
using static TorchSharp.torch;

namespace TypedBert.Classification;

/// <summary>
/// An encoder with a sequence-classification head, for any supported architecture (see <see cref="ModelFamily"/>).
/// Parameter names are those of transformers' <c>*ForSequenceClassification</c> of the same architecture, so a saved model
/// loads in Python and a Python checkpoint loads here. Create one with <see cref="Create"/>.
/// </summary>
public abstract class SequenceClassificationModel : nn.Module
{
    /// <summary>Checks <paramref name="config"/> and records it.</summary>
    /// <exception cref="TorchBackendMissingException">The application has no libtorch backend package.</exception>
    protected SequenceClassificationModel(string name, SequenceClassificationConfig config) : base(TorchBackend.Loaded(name))
    {
        config.Validate("SequenceClassificationConfig");
        Config = config;
        Family = ModelFamily.Of(config.Encoder, "SequenceClassificationConfig");
    }

    /// <summary>The model for <paramref name="config"/>'s model_type, randomly initialised.</summary>
    /// <exception cref="NotSupportedException">The model_type is not supported.</exception>
    public static SequenceClassificationModel Create(SequenceClassificationConfig config) =>
        ModelFamily.Of(config.Encoder, "config.json").CreateClassifier(config);

    /// <summary>The head's configuration.</summary>
    public SequenceClassificationConfig Config { get; }

    /// <summary>The architecture.</summary>
    public ModelFamily Family { get; }

    /// <summary>The encoder under the head.</summary>
    public abstract ITextEncoder Encoder { get; }

    /// <summary>Logits [batch, labels]: the <see cref="Head"/> over the <see cref="Features"/>.</summary>
    /// <param name="inputIds">[batch, sequence] int64 token ids.</param>
    /// <param name="attentionMask">[batch, sequence] 1 for tokens, 0 for padding.</param>
    /// <param name="tokenTypeIds">[batch, sequence] segment ids; ignored by architectures without token types.</param>
    public Tensor Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var features = Features(inputIds, attentionMask, tokenTypeIds);
        return Head(features);
    }

    /// <summary>
    /// The one vector per text [batch, hidden] that the head reads: the encoder's output pooled as <see cref="SequenceClassificationConfig.Pooling"/>
    /// says (and the pooler where the architecture has one). Few-shot training tunes the encoder on these vectors.
    /// </summary>
    public abstract Tensor Features(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null);

    /// <summary>The classification head: logits [batch, labels] from <see cref="Features"/> (dropout applies in training mode).</summary>
    public abstract Tensor Head(Tensor features);

    /// <summary>Whether <paramref name="parameterName"/> belongs to the head (everything outside the encoder).</summary>
    public bool IsHeadParameter(string parameterName) => !parameterName.StartsWith(Family.EncoderPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Prefixes of the parameters that <see cref="Training.TrainingOptions.FreezeEmbeddings"/> and
    /// <see cref="Training.TrainingOptions.FreezeLayers"/> freeze: the embeddings, and the lowest <paramref name="layers"/> layers.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="layers"/> exceeds the model's layers, or cannot be frozen alone (ALBERT).</exception>
    public virtual IReadOnlyList<string> FrozenParameterPrefixes(bool embeddings, int layers)
    {
        CheckLayerCount(layers);
        var prefixes = new List<string>();
        if (embeddings) prefixes.Add(Family.EncoderPrefix + "embeddings.");
        for (int i = 0; i < layers; i++) prefixes.Add($"{Family.EncoderPrefix}{LayerPath}.{i}.");
        return prefixes;
    }

    /// <summary>
    /// The depth of a parameter for <see cref="Training.TrainingOptions.LayerwiseLearningRateDecay"/>: 0 for the embeddings,
    /// i + 1 for encoder layer i, and the layer count + 1 for everything above the layers (pooler, head).
    /// </summary>
    /// <exception cref="ArgumentException">The architecture shares its layers (ALBERT), so they have no depth of their own.</exception>
    public Func<string, int> ParameterDepth()
    {
        int layers = Config.Encoder.NumHiddenLayers;
        string embeddings = FrozenParameterPrefixes(embeddings: true, 0)[0];
        var layerPrefixes = FrozenParameterPrefixes(embeddings: false, layers);
        return name =>
        {
            if (name.StartsWith(embeddings, StringComparison.Ordinal)) return 0;
            for (int i = 0; i < layerPrefixes.Count; i++)
                if (name.StartsWith(layerPrefixes[i], StringComparison.Ordinal)) return i + 1;
            return layers + 1;
        };
    }

    /// <summary>Path of the layer list inside the encoder (<c>encoder.layer</c>); the family's registration says it.</summary>
    protected virtual string LayerPath => Family.LayerPath;

    /// <summary>Throws when <paramref name="layers"/> exceeds the encoder's layers.</summary>
    protected void CheckLayerCount(int layers)
    {
        int count = Config.Encoder.NumHiddenLayers;
        if (layers > count) throw new ArgumentException($"FreezeLayers {layers} exceeds the model's {count} layers");
    }

    /// <summary>One vector per text for pooling strategies that need no pooler: the first token, or the mean of the real tokens.</summary>
    protected Tensor FirstTokenOrMean(Tensor lastHiddenState, Tensor attentionMask)
    {
        if (Config.Pooling != PoolingStrategy.Mean) return lastHiddenState.select(1, 0);
        var mask = attentionMask.unsqueeze(-1).to(lastHiddenState.dtype);
        return (lastHiddenState * mask).sum(1) / mask.sum(1).clamp_min(1);
    }

    /// <summary>
    /// The training loss for <paramref name="logits"/>: cross-entropy (targets: int64 ids), BCE-with-logits (targets: float multi-hot)
    /// or MSE (targets: float values), as transformers computes it.
    /// </summary>
    /// <param name="logits">[batch, labels].</param>
    /// <param name="targets">Label ids [batch], multi-hot [batch, labels], or values [batch, labels].</param>
    /// <param name="classWeights">Optional per-label weights [labels] for unbalanced data (single- and multi-label).</param>
    /// <param name="labelSmoothing">Label smoothing of the cross-entropy target (single-label only; see <see cref="Training.TrainingOptions.LabelSmoothingFactor"/>).</param>
    public Tensor Loss(Tensor logits, Tensor targets, Tensor? classWeights = null, double labelSmoothing = 0) =>
        Problem.Loss(logits, targets, classWeights, labelSmoothing);

    /// <summary>Probabilities: softmax for single-label, sigmoid for multi-label, the raw values for regression.</summary>
    public Tensor Activate(Tensor logits) => Problem.Activate(logits);

    /// <summary>The loss, activation, decision, targets and metrics of the head's problem type.</summary>
    internal ProblemStrategy Problem => ProblemStrategy.For(Config.ProblemType);
}
