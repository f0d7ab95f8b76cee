using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Training.Distillation;

namespace TypedBert.Training;

/// <summary>Which evaluation figure decides the best epoch (and early stopping).</summary>
public enum BestModelMetric
{
    /// <summary>Accuracy (single-label) or subset accuracy (multi-label); lowest loss for regression.</summary>
    Default,
    /// <summary>Evaluation loss, lower is better.</summary>
    Loss,
    /// <summary>Accuracy, or subset accuracy for multi-label.</summary>
    Accuracy,
    /// <summary>Macro-averaged F1.</summary>
    MacroF1,
    /// <summary>Micro-averaged F1.</summary>
    MicroF1,
}

/// <summary>
/// Fine-tuning settings; names and defaults follow Hugging Face's <c>TrainingArguments</c> where they overlap. The defaults are
/// <see cref="TrainingDefaults"/>, which <c>[BertTrainingConfig]</c> and <c>typedbert train</c> share.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    /// <summary>Examples per forward pass.</summary>
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    /// <summary>Forward passes per optimizer step (effective batch = BatchSize x this).</summary>
    public int GradientAccumulationSteps { get; init; } = TrainingDefaults.GradientAccumulationSteps;
    /// <summary>Peak learning rate of AdamW.</summary>
    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;
    /// <summary>Optimizer steps of linear warm-up; overrides <see cref="WarmupRatio"/> when set.</summary>
    public int? WarmupSteps { get; init; }
    /// <summary>Fraction of all optimizer steps spent warming up.</summary>
    public double WarmupRatio { get; init; } = TrainingDefaults.WarmupRatio;
    /// <summary>AdamW weight decay, applied to every weight except biases and LayerNorm weights.</summary>
    public double WeightDecay { get; init; } = TrainingDefaults.WeightDecay;
    /// <summary>
    /// Layer-wise learning-rate decay (Sun et al. 2019, "How to Fine-Tune BERT for Text Classification?"): the top encoder layer,
    /// the pooler and the head train at <see cref="LearningRate"/>, each layer below at this factor times the rate of the one above,
    /// and the embeddings at the factor times the lowest layer's. 1 (the default) gives every parameter the same rate.
    /// </summary>
    public double LayerwiseLearningRateDecay { get; init; } = TrainingDefaults.LayerwiseLearningRateDecay;
    /// <summary>
    /// Label smoothing for single-label training, as <c>TrainingArguments.label_smoothing_factor</c>: the cross-entropy target puts
    /// 1 - factor on the true label and spreads the factor evenly over all labels. Evaluation loss stays plain cross-entropy.
    /// </summary>
    public double LabelSmoothingFactor { get; init; } = TrainingDefaults.LabelSmoothingFactor;
    /// <summary>AdamW betas and epsilon.</summary>
    public double AdamBeta1 { get; init; } = TrainingDefaults.AdamBeta1;
    /// <inheritdoc cref="AdamBeta1"/>
    public double AdamBeta2 { get; init; } = TrainingDefaults.AdamBeta2;
    /// <inheritdoc cref="AdamBeta1"/>
    public double AdamEpsilon { get; init; } = TrainingDefaults.AdamEpsilon;
    /// <summary>Gradient-norm clipping; 0 disables it.</summary>
    public double MaxGradNorm { get; init; } = TrainingDefaults.MaxGradNorm;
    /// <summary>Seeds shuffling, dropout and the head: same seed, data and CPU give the same loss curve.</summary>
    public int Seed { get; init; } = TrainingDefaults.Seed;
    /// <summary>Longest training input, special tokens included; the tokenizer's maximum when null.</summary>
    public int? MaxLength { get; init; }

    /// <summary>
    /// How long texts are trained on and evaluated: truncation, head+tail, or sliding windows (each window an example with its
    /// document's label, at most <see cref="LongTextOptions.MaxWindowsPerDocument"/> per document per epoch, evaluation aggregated per
    /// document). The window defaults to <see cref="MaxLength"/>. When set, the classifier keeps it after training, and
    /// <see cref="TextClassifier.Save"/> records it in <c>config.json</c>; when null, the classifier's own <see cref="TextClassifier.LongText"/> is used.
    /// </summary>
    public LongTextOptions? LongText { get; init; }
    /// <summary>Batch texts of similar length together (less padding, faster), still shuffled between batches.</summary>
    public bool GroupByLength { get; init; }
    /// <summary>Keep the embeddings' weights fixed.</summary>
    public bool FreezeEmbeddings { get; init; }
    /// <summary>
    /// After training, calibrate on the evaluation data: a temperature (single-label) or a threshold per label (multi-label), applied
    /// to the classifier and saved with it (<see cref="TrainingResult.Calibration"/>, <see cref="TrainingResult.Thresholds"/>).
    /// Needs at least 100 evaluation rows; training refuses to start without them.
    /// </summary>
    public bool Calibrate { get; init; }
    /// <summary>Keep the first N encoder layers fixed.</summary>
    public int FreezeLayers { get; init; } = TrainingDefaults.FreezeLayers;
    /// <summary>Per-label loss weights for unbalanced data (cross-entropy weights, or BCE positive weights for multi-label).</summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }
    /// <summary>Restore the weights of the best evaluated epoch at the end (needs evaluation data).</summary>
    public bool LoadBestModelAtEnd { get; init; } = true;
    /// <summary>The figure that picks the best epoch.</summary>
    public BestModelMetric MetricForBestModel { get; init; } = BestModelMetric.Default;
    /// <summary>Stop after this many evaluations without improvement; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Report progress every this many optimizer steps.</summary>
    public int LoggingSteps { get; init; } = TrainingDefaults.LoggingSteps;
    /// <summary>
    /// bf16 mixed precision: the Linear layers' matmuls, forward and backward, in bf16 (see <see cref="Modeling.MixedPrecision"/>);
    /// master weights, gradients, optimizer state, LayerNorm, softmax and the loss in fp32. Pays only on CPUs with a bf16 matmul unit
    /// (<see cref="Modeling.CpuFeatures.HasBFloat16Matmul"/>); elsewhere it is slower than fp32. See docs/performance.md.
    /// </summary>
    public bool BFloat16MixedPrecision { get; init; }
    /// <summary>
    /// Keep an exponential moving average of the weights with this decay (such as 0.999), updated after every optimizer step, in fp32 on
    /// the model's device; the average is what is evaluated after each epoch, what checkpoints and the best-model snapshot hold, and what
    /// the classifier has after training. Null (the default) keeps no average. Not combined with <see cref="AverageLastEpochs"/>.
    /// </summary>
    public double? EmaDecay { get; init; }
    /// <summary>
    /// With <see cref="EmaDecay"/>: the n-th update (from 0) uses min(EmaDecay, (1 + n) / (10 + n)), so that on a run of a few hundred
    /// steps the average forgets the starting weights (TensorFlow's <c>num_updates</c> schedule). False uses EmaDecay from the first step.
    /// </summary>
    public bool EmaWarmup { get; init; } = true;
    /// <summary>
    /// Stochastic weight averaging: evaluate, keep and save the mean of the weights at the ends of the last N epochs (at least 2, at most
    /// <see cref="Epochs"/>). Within those epochs each evaluation scores the mean so far; before them the plain weights are scored, so
    /// with <see cref="LoadBestModelAtEnd"/> an earlier epoch can still win. Null (the default) averages nothing.
    /// </summary>
    public int? AverageLastEpochs { get; init; }
    /// <summary>libtorch intra-op threads; libtorch's default when null.</summary>
    public int? Threads { get; init; }
    /// <summary>Where checkpoints go (folders <c>checkpoint-STEP</c>); null writes none. One is written after every epoch.</summary>
    public string? CheckpointDirectory { get; init; }
    /// <summary>Also write a checkpoint every this many optimizer steps; needs <see cref="CheckpointDirectory"/>.</summary>
    public int? SaveSteps { get; init; }
    /// <summary>Keep at most this many checkpoints (the best one is kept besides); null keeps all.</summary>
    public int? SaveTotalLimit { get; init; }
    /// <summary>A checkpoint folder to continue from (see <see cref="Checkpoints.CheckpointStore.FindLatest"/>); the data and options must be the run's own.</summary>
    public string? ResumeFromCheckpoint { get; init; }

    /// <summary>The loss of examples that carry a teacher's soft target (<see cref="TypedBert.Data.TrainingExample.SoftTarget"/>); unused without them.</summary>
    public SoftTargetLoss SoftTargetLoss { get; init; } = new();

    /// <summary>Checks every value against its row of <see cref="TrainingOptionTable"/>; the message names the option.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        static void InRange(TrainingOption option, double? value)
        {
            if (value is double number && !option.Accepts(number))
                throw new ArgumentException(option.Refusal(number.ToString(System.Globalization.CultureInfo.CurrentCulture)));
        }
        foreach (var (option, value) in Values()) InRange(option, value);
        Require(SaveSteps is null || CheckpointDirectory is not null, "SaveSteps needs a CheckpointDirectory to write to");
        Require(AverageLastEpochs is null || AverageLastEpochs <= Epochs, $"AverageLastEpochs {AverageLastEpochs} is more than the {Epochs} epochs; lower it or raise Epochs");
        SoftTargetLoss.Validate();
        Require(EmaDecay is null || AverageLastEpochs is null, "EmaDecay and AverageLastEpochs are two ways of averaging the weights; choose one");
    }

    /// <summary>The value of each row of <see cref="TrainingOptionTable.FineTuning"/> (null: unset; a switch is 0 or 1).</summary>
    public IEnumerable<(TrainingOption Option, double? Value)> Values()
    {
        foreach (var option in TrainingOptionTable.FineTuning) yield return (option, ValueOf(option));
    }

    double? ValueOf(TrainingOption option) => option.Name switch
    {
        nameof(Epochs) => Epochs,
        nameof(BatchSize) => BatchSize,
        nameof(GradientAccumulationSteps) => GradientAccumulationSteps,
        nameof(LearningRate) => LearningRate,
        nameof(WarmupSteps) => WarmupSteps,
        nameof(WarmupRatio) => WarmupRatio,
        nameof(WeightDecay) => WeightDecay,
        nameof(LayerwiseLearningRateDecay) => LayerwiseLearningRateDecay,
        nameof(LabelSmoothingFactor) => LabelSmoothingFactor,
        nameof(AdamBeta1) => AdamBeta1,
        nameof(AdamBeta2) => AdamBeta2,
        nameof(AdamEpsilon) => AdamEpsilon,
        nameof(MaxGradNorm) => MaxGradNorm,
        nameof(Seed) => Seed,
        nameof(MaxLength) => MaxLength,
        nameof(FreezeLayers) => FreezeLayers,
        nameof(FreezeEmbeddings) => FreezeEmbeddings ? 1 : 0,
        nameof(GroupByLength) => GroupByLength ? 1 : 0,
        nameof(Calibrate) => Calibrate ? 1 : 0,
        nameof(EarlyStoppingPatience) => EarlyStoppingPatience,
        nameof(LoggingSteps) => LoggingSteps,
        nameof(SaveSteps) => SaveSteps,
        nameof(SaveTotalLimit) => SaveTotalLimit,
        nameof(EmaDecay) => EmaDecay,
        nameof(AverageLastEpochs) => AverageLastEpochs,
        _ => throw new InvalidOperationException($"TrainingOptions has no property for the table's row {option.Name}"),
    };

    /// <summary>
    /// These options with <paramref name="option"/> set to <paramref name="value"/>: how a search's value, a command-line value or a
    /// test's out-of-range value reaches a row of <see cref="TrainingOptionTable"/> by its name.
    /// </summary>
    public TrainingOptions With(TrainingOption option, double? value)
    {
        int? Whole() => value is double v ? checked((int)v) : null;
        return option.Name switch
        {
            nameof(Epochs) => this with { Epochs = Whole()!.Value },
            nameof(BatchSize) => this with { BatchSize = Whole()!.Value },
            nameof(GradientAccumulationSteps) => this with { GradientAccumulationSteps = Whole()!.Value },
            nameof(LearningRate) => this with { LearningRate = value!.Value },
            nameof(WarmupSteps) => this with { WarmupSteps = Whole() },
            nameof(WarmupRatio) => this with { WarmupRatio = value!.Value },
            nameof(WeightDecay) => this with { WeightDecay = value!.Value },
            nameof(LayerwiseLearningRateDecay) => this with { LayerwiseLearningRateDecay = value!.Value },
            nameof(LabelSmoothingFactor) => this with { LabelSmoothingFactor = value!.Value },
            nameof(AdamBeta1) => this with { AdamBeta1 = value!.Value },
            nameof(AdamBeta2) => this with { AdamBeta2 = value!.Value },
            nameof(AdamEpsilon) => this with { AdamEpsilon = value!.Value },
            nameof(MaxGradNorm) => this with { MaxGradNorm = value!.Value },
            nameof(Seed) => this with { Seed = Whole()!.Value },
            nameof(MaxLength) => this with { MaxLength = Whole() },
            nameof(FreezeLayers) => this with { FreezeLayers = Whole()!.Value },
            nameof(FreezeEmbeddings) => this with { FreezeEmbeddings = value is > 0 },
            nameof(GroupByLength) => this with { GroupByLength = value is > 0 },
            nameof(Calibrate) => this with { Calibrate = value is > 0 },
            nameof(EarlyStoppingPatience) => this with { EarlyStoppingPatience = Whole() },
            nameof(LoggingSteps) => this with { LoggingSteps = Whole()!.Value },
            nameof(SaveSteps) => this with { SaveSteps = Whole() },
            nameof(SaveTotalLimit) => this with { SaveTotalLimit = Whole() },
            nameof(EmaDecay) => this with { EmaDecay = value },
            nameof(AverageLastEpochs) => this with { AverageLastEpochs = Whole() },
            _ => throw new InvalidOperationException($"TrainingOptions has no property for the table's row {option.Name}"),
        };
    }

    /// <summary>
    /// The warm-up as given, for reports: <see cref="WarmupSteps"/> when set (it wins), else <see cref="WarmupRatio"/> when above 0, each
    /// with its row of <see cref="TrainingOptionTable"/>; null without warm-up.
    /// </summary>
    public (TrainingOption Option, double Value)? GivenWarmup() =>
        WarmupSteps is int steps ? (TrainingOptionTable.WarmupSteps, steps) : WarmupRatio > 0 ? (TrainingOptionTable.WarmupRatio, WarmupRatio) : null;

    /// <summary>Optimizer steps of warm-up out of <paramref name="totalSteps"/>: <see cref="WarmupSteps"/>, else the ratio's share.</summary>
    public int WarmupStepsOf(int totalSteps) => WarmupSteps ?? (int)Math.Ceiling(WarmupRatio * totalSteps);
}
