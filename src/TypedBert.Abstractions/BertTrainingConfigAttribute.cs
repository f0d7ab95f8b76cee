using TypedBert.Classification;
using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert;

/// <summary>
/// Fine-tuning settings for a <c>[BertLabels]</c> enum, checked at compile time. On a <c>partial class</c>, the TypedBert
/// source generator validates the constants against the base model (maximum length, layer count, long-text window) and the
/// usual ranges, and adds a typed <c>Options</c> object, <c>BaseModel</c> and <c>CreateClassifier()</c> to the class.
/// </summary>
/// <param name="labels">The <c>[BertLabels]</c> enum the classifier predicts.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class BertTrainingConfigAttribute(Type labels) : Attribute
{
    /// <summary>The label enum.</summary>
    public Type Labels { get; } = labels;

    /// <summary>The base model; the enum's <c>[BertLabels(Model = ...)]</c> when null.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// A <c>best.json</c> that <c>typedbert tune</c> wrote (a path relative to the project folder): the generated <c>Options</c> and
    /// <c>CreateClassifier()</c> take its learning rate, epochs, batch size, warm-up ratio, weight decay, layer-wise decay, label smoothing,
    /// seed, maximum length, pooling and weight averaging as constants, checked at build time (TB0401-TB0406). An argument written on
    /// this attribute wins over the file's value, as an option on the command line wins over <c>train --config</c>. The package's build
    /// targets pass the file to the generator when it exists; otherwise add <c>&lt;AdditionalFiles Include="..." /&gt;</c>.
    /// </summary>
    public string? SearchResult { get; set; }

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; set; } = TrainingDefaults.Epochs;

    /// <summary>Peak learning rate.</summary>
    public double LearningRate { get; set; } = TrainingDefaults.LearningRate;

    /// <summary>Examples per forward pass.</summary>
    public int BatchSize { get; set; } = TrainingDefaults.BatchSize;

    /// <summary>Forward passes per optimizer step.</summary>
    public int GradientAccumulationSteps { get; set; } = TrainingDefaults.GradientAccumulationSteps;

    /// <summary>Optimizer steps of linear warm-up (0: none, or <see cref="WarmupRatio"/>).</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Fraction of the steps spent warming up, when <see cref="WarmupSteps"/> is 0.</summary>
    public double WarmupRatio { get; set; } = TrainingDefaults.WarmupRatio;

    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; set; } = TrainingDefaults.WeightDecay;

    /// <summary>Longest input in tokens, special tokens included; 0 means the model's maximum.</summary>
    public int MaxLength { get; set; }

    /// <summary>Keep the first N encoder layers fixed.</summary>
    public int FreezeLayers { get; set; } = TrainingDefaults.FreezeLayers;

    /// <summary>Keep the embeddings fixed.</summary>
    public bool FreezeEmbeddings { get; set; }

    /// <summary>Seed of shuffling, dropout and the head.</summary>
    public int Seed { get; set; } = TrainingDefaults.Seed;

    /// <summary>Train a multi-label head (the enum should be <c>[Flags]</c>).</summary>
    public bool MultiLabel { get; set; }

    /// <summary>Fine-tuning, or few-shot training for a few dozen examples per label (then the class also gets <c>FewShotOptions</c>).</summary>
    public TrainingMethod Method { get; set; } = TrainingMethod.FineTune;

    /// <summary>Few-shot: rounds of pair sampling (1 to 1000).</summary>
    public int PairIterations { get; set; } = FewShotDefaults.PairIterations;

    /// <summary>Few-shot: peak learning rate of the encoder in the contrastive phase.</summary>
    public double BodyLearningRate { get; set; } = FewShotDefaults.BodyLearningRate;

    /// <summary>Few-shot: full-batch steps of the head's fit (1 to 100000).</summary>
    public int HeadSteps { get; set; } = FewShotDefaults.HeadSteps;

    // Long text, as LongTextOptions (the generated Options carry it as TrainingOptions.LongText). An attribute cannot hold null,
    // so "not set" is an argument not written: the generator reads which arguments are written, never these properties' 0, and
    // a number left out takes LongTextOptions' default for the model (HeadTokens = 0, written, is a valid head of none).

    /// <summary>How texts longer than the window are trained on and read: truncation (default), head+tail or a sliding window.</summary>
    public LongTextStrategy LongText { get; set; } = LongTextStrategy.Truncate;

    /// <summary>
    /// Tokens read at once, [CLS] and [SEP] included: the truncation length, the head+tail input or each window; 3 to the base
    /// model's positions. Not set: <see cref="MaxLength"/>.
    /// </summary>
    public int Window { get; set; }

    /// <summary>Sliding window: tokens between window starts, 1 to the window minus 2. Not set: half of that.</summary>
    public int Stride { get; set; }

    /// <summary>Head+tail: tokens from the start, 0 to the window minus 2; the end fills the rest. Not set: a quarter of the window's content.</summary>
    public int HeadTokens { get; set; }

    /// <summary>Sliding window: how the windows' logits become one.</summary>
    public WindowAggregation Aggregation { get; set; } = WindowAggregation.Mean;

    /// <summary>Sliding-window training: at most this many windows of one document per epoch (at least 1). Not set: every window.</summary>
    public int MaxWindowsPerDocument { get; set; }
}
