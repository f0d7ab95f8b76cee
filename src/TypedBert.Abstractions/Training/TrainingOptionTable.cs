using System.Collections.Generic;
using TypedBert.Classification.LongText;
using TypedBert.Training.FewShot;

namespace TypedBert.Training;

/// <summary>
/// Every training option that more than one place reads, one row each: the runtime's validation (<c>TrainingOptions.Validate</c>,
/// <c>FewShotOptions.Validate</c>), <c>typedbert train</c>'s flags and help, <c>best.json</c>'s keys and its merge with the command line
/// or the attribute (<see cref="OptionPrecedence"/>), and the source generator's checks of <c>[BertTrainingConfig]</c> and of a search
/// result. Adding an option is one row here (docs/architecture.md, "How to add a training option").
/// </summary>
public static class TrainingOptionTable
{
    static TrainingOption Row(string name, string? jsonKey, string? cliFlag, double? defaultValue, OptionRange? range, string help, bool onAttribute = false,
        OptionKind? kind = null, TrainingOption? overriddenBy = null) =>
        new(name, jsonKey, cliFlag, defaultValue, range, help, onAttribute, kind ?? (range is { Whole: false } ? OptionKind.Real : OptionKind.Whole), overriddenBy);

    // Fine-tuning (TrainingOptions).

    /// <summary>Passes over the training data.</summary>
    public static TrainingOption Epochs { get; } = Row(nameof(Epochs), "epochs", "--epochs", TrainingDefaults.Epochs, OptionRange.Count(1), "Passes over the training data", onAttribute: true);
    /// <summary>Examples per forward pass.</summary>
    public static TrainingOption BatchSize { get; } = Row(nameof(BatchSize), "batch_size", "--batch-size", TrainingDefaults.BatchSize, OptionRange.Count(1), "Examples per forward pass", onAttribute: true);
    /// <summary>Forward passes per optimizer step.</summary>
    public static TrainingOption GradientAccumulationSteps { get; } = Row(nameof(GradientAccumulationSteps), null, "--gradient-accumulation-steps", TrainingDefaults.GradientAccumulationSteps,
        OptionRange.Count(1), "Forward passes per optimizer step (effective batch = batch size x this)", onAttribute: true);
    /// <summary>Peak learning rate of AdamW.</summary>
    public static TrainingOption LearningRate { get; } = Row(nameof(LearningRate), "learning_rate", "--learning-rate", TrainingDefaults.LearningRate,
        OptionRange.Real(0, false, 1, false), "Peak learning rate of AdamW (fine-tuning BERT uses 1e-5 to 1e-4)", onAttribute: true);
    /// <summary>Optimizer steps of linear warm-up; wins over the ratio when set.</summary>
    public static TrainingOption WarmupSteps { get; } = Row(nameof(WarmupSteps), null, "--warmup-steps", null, OptionRange.Count(0),
        "Optimizer steps of linear warm-up (wins over --warmup-ratio)", onAttribute: true);
    /// <summary>Fraction of the optimizer steps spent warming up.</summary>
    public static TrainingOption WarmupRatio { get; } = Row(nameof(WarmupRatio), "warmup_ratio", "--warmup-ratio", TrainingDefaults.WarmupRatio,
        OptionRange.Real(0, true, 1, false), "Fraction of the optimizer steps spent warming up", onAttribute: true, overriddenBy: WarmupSteps);
    /// <summary>AdamW weight decay.</summary>
    public static TrainingOption WeightDecay { get; } = Row(nameof(WeightDecay), "weight_decay", "--weight-decay", TrainingDefaults.WeightDecay,
        OptionRange.Real(0, true), "AdamW weight decay (not applied to biases and LayerNorm weights)", onAttribute: true);
    /// <summary>Layer-wise learning-rate decay.</summary>
    public static TrainingOption LayerwiseLearningRateDecay { get; } = Row(nameof(LayerwiseLearningRateDecay), "layer_lr_decay", "--layer-lr-decay",
        TrainingDefaults.LayerwiseLearningRateDecay, OptionRange.Real(0, false, 1, true),
        "Layer-wise learning-rate decay: each encoder layer trains at this times the rate of the one above (1: off)");
    /// <summary>Label smoothing of the single-label cross-entropy.</summary>
    public static TrainingOption LabelSmoothingFactor { get; } = Row(nameof(LabelSmoothingFactor), "label_smoothing", "--label-smoothing", TrainingDefaults.LabelSmoothingFactor,
        OptionRange.Real(0, true, 1, false), "Label smoothing factor of the single-label cross-entropy");
    /// <summary>AdamW's first-moment decay.</summary>
    public static TrainingOption AdamBeta1 { get; } = Row(nameof(AdamBeta1), null, null, TrainingDefaults.AdamBeta1, OptionRange.Real(0, true, 1, false), "AdamW's first-moment decay");
    /// <summary>AdamW's second-moment decay.</summary>
    public static TrainingOption AdamBeta2 { get; } = Row(nameof(AdamBeta2), null, null, TrainingDefaults.AdamBeta2, OptionRange.Real(0, true, 1, false), "AdamW's second-moment decay");
    /// <summary>AdamW's epsilon.</summary>
    public static TrainingOption AdamEpsilon { get; } = Row(nameof(AdamEpsilon), null, null, TrainingDefaults.AdamEpsilon, OptionRange.Real(0, false), "AdamW's epsilon");
    /// <summary>Gradient-norm clipping; 0 disables it.</summary>
    public static TrainingOption MaxGradNorm { get; } = Row(nameof(MaxGradNorm), null, "--max-grad-norm", TrainingDefaults.MaxGradNorm, OptionRange.Real(0, true),
        "Clip the gradient's norm to this (0: no clipping)");
    /// <summary>Seed of shuffling, dropout and the head.</summary>
    public static TrainingOption Seed { get; } = Row(nameof(Seed), "seed", "--seed", TrainingDefaults.Seed, null, "Seed of shuffling, dropout and the new head", onAttribute: true, OptionKind.Whole);
    /// <summary>Longest training input in tokens; the model's maximum when unset.</summary>
    public static TrainingOption MaxLength { get; } = Row(nameof(MaxLength), "max_length", "--max-length", null, OptionRange.Count(LongTextLimits.MinimumSequence),
        "Longest training input in tokens (default: the model's maximum)", onAttribute: true);
    /// <summary>Encoder layers kept fixed.</summary>
    public static TrainingOption FreezeLayers { get; } = Row(nameof(FreezeLayers), null, "--freeze-layers", TrainingDefaults.FreezeLayers, OptionRange.Count(0),
        "Keep the first N encoder layers fixed", onAttribute: true);
    /// <summary>Keep the embeddings' weights fixed.</summary>
    public static TrainingOption FreezeEmbeddings { get; } = Row(nameof(FreezeEmbeddings), null, "--freeze-embeddings", 0, null, "Keep the embeddings' weights fixed",
        onAttribute: true, OptionKind.Switch);
    /// <summary>Batch texts of similar length together.</summary>
    public static TrainingOption GroupByLength { get; } = Row(nameof(GroupByLength), "group_by_length", "--group-by-length", 0, null, "Batch texts of similar length together", kind: OptionKind.Switch);
    /// <summary>Calibrate on the evaluation data after training (temperature or per-label thresholds).</summary>
    public static TrainingOption Calibrate { get; } = Row(nameof(Calibrate), null, "--calibrate", 0, null,
        "After training, fit a temperature (single-label) or per-label thresholds (multi-label) on the evaluation data (at least 100 rows) and save them with the model",
        kind: OptionKind.Switch);
    /// <summary>Evaluations without improvement before training stops; never when unset.</summary>
    public static TrainingOption EarlyStoppingPatience { get; } = Row(nameof(EarlyStoppingPatience), null, "--early-stopping-patience", null, OptionRange.Count(1),
        "Stop after this many evaluations without improvement");
    /// <summary>Progress is reported every this many optimizer steps.</summary>
    public static TrainingOption LoggingSteps { get; } = Row(nameof(LoggingSteps), null, "--logging-steps", TrainingDefaults.LoggingSteps, OptionRange.Count(1),
        "Record the loss every N optimizer steps (progress, plots)");
    /// <summary>A checkpoint every this many optimizer steps.</summary>
    public static TrainingOption SaveSteps { get; } = Row(nameof(SaveSteps), null, "--save-steps", null, OptionRange.Count(1),
        "Write a checkpoint every N optimizer steps (and always after each epoch)");
    /// <summary>Checkpoints kept.</summary>
    public static TrainingOption SaveTotalLimit { get; } = Row(nameof(SaveTotalLimit), null, "--save-total-limit", null, OptionRange.Count(1),
        "Keep the newest N checkpoints (and the best one)");
    /// <summary>Decay of the exponential moving average of the weights; no average when unset.</summary>
    public static TrainingOption EmaDecay { get; } = Row(nameof(EmaDecay), "ema_decay", "--ema-decay", null, OptionRange.Real(0, false, 1, false),
        "Evaluate, keep and save an exponential moving average of the weights with this decay (such as 0.999), updated every optimizer step");
    /// <summary>Epochs whose weights are averaged at the end; none when unset.</summary>
    public static TrainingOption AverageLastEpochs { get; } = Row(nameof(AverageLastEpochs), "average_last_epochs", "--average-last-epochs", null, OptionRange.Count(2),
        "Evaluate, keep and save the mean of the weights at the ends of the last N epochs (stochastic weight averaging)");

    // Few-shot training (FewShotOptions).

    /// <summary>Few-shot: rounds of pair sampling.</summary>
    public static TrainingOption PairIterations { get; } = Row(nameof(PairIterations), null, "--pair-iterations", FewShotDefaults.PairIterations,
        OptionRange.Count(1, FewShotDefaults.MaxPairIterations), "setfit: rounds of pair sampling (each gives every example a positive and a negative partner)", onAttribute: true);
    /// <summary>Few-shot: peak learning rate of the encoder in the contrastive phase.</summary>
    public static TrainingOption BodyLearningRate { get; } = Row(nameof(BodyLearningRate), null, "--body-learning-rate", FewShotDefaults.BodyLearningRate,
        OptionRange.Real(0, false, 1, false), "setfit: learning rate of the encoder in the contrastive phase", onAttribute: true);
    /// <summary>Few-shot: pairs per optimizer step of the contrastive phase (the command line's and the attribute's batch size).</summary>
    public static TrainingOption BodyBatchSize { get; } = Row(nameof(BodyBatchSize), null, null, FewShotDefaults.BodyBatchSize, OptionRange.Count(1, 1024), "setfit: pairs per contrastive step");
    /// <summary>Few-shot: full-batch steps of the head's fit.</summary>
    public static TrainingOption HeadSteps { get; } = Row(nameof(HeadSteps), null, "--head-steps", FewShotDefaults.HeadSteps,
        OptionRange.Count(1, FewShotDefaults.MaxHeadSteps), "setfit: full-batch steps of the head's fit", onAttribute: true);

    /// <summary>The rows of fine-tuning.</summary>
    public static IReadOnlyList<TrainingOption> FineTuning { get; } =
    [
        // The attribute's arguments, then the options only a search sets, in the order the generated Options list them.
        Epochs, LearningRate, BatchSize, GradientAccumulationSteps, WarmupSteps, WarmupRatio, WeightDecay, MaxLength, FreezeLayers, FreezeEmbeddings, Seed,
        LayerwiseLearningRateDecay, LabelSmoothingFactor, GroupByLength, EmaDecay, AverageLastEpochs,
        AdamBeta1, AdamBeta2, AdamEpsilon, MaxGradNorm, EarlyStoppingPatience, LoggingSteps, SaveSteps, SaveTotalLimit, Calibrate,
    ];

    /// <summary>The rows of few-shot training.</summary>
    public static IReadOnlyList<TrainingOption> FewShot { get; } = [PairIterations, BodyLearningRate, BodyBatchSize, HeadSteps];

    /// <summary>Every row.</summary>
    public static IReadOnlyList<TrainingOption> All { get; } = [.. FineTuning, .. FewShot];

    /// <summary>The rows a search writes to <c>best.json</c> (<see cref="TrainingOption.JsonKey"/> set).</summary>
    public static IReadOnlyList<TrainingOption> Searched { get; } = [.. Filter(FineTuning, o => o.JsonKey is not null)];

    /// <summary>The rows <c>[BertTrainingConfig]</c> has an argument for.</summary>
    public static IReadOnlyList<TrainingOption> OnAttribute { get; } = [.. Filter(All, o => o.OnAttribute)];

    static IEnumerable<TrainingOption> Filter(IEnumerable<TrainingOption> rows, System.Func<TrainingOption, bool> keep)
    {
        foreach (var row in rows)
            if (keep(row)) yield return row;
    }
}

/// <summary>
/// The table's default column as constants, for the places C# needs a constant (an attribute argument, a property initializer):
/// <see cref="TrainingOptionTable"/> gives each default its row, with its range, key and flag.
/// </summary>
public static class TrainingDefaults
{
    /// <summary>Passes over the training data.</summary>
    public const int Epochs = 3;

    /// <summary>Examples per forward pass.</summary>
    public const int BatchSize = 16;

    /// <summary>Forward passes per optimizer step.</summary>
    public const int GradientAccumulationSteps = 1;

    /// <summary>Peak learning rate of AdamW.</summary>
    public const double LearningRate = 5e-5;

    /// <summary>Fraction of the optimizer steps spent warming up.</summary>
    public const double WarmupRatio = 0;

    /// <summary>AdamW weight decay.</summary>
    public const double WeightDecay = 0;

    /// <summary>Layer-wise learning-rate decay; 1 gives every layer the same rate.</summary>
    public const double LayerwiseLearningRateDecay = 1.0;

    /// <summary>Label smoothing of the single-label cross-entropy.</summary>
    public const double LabelSmoothingFactor = 0;

    /// <summary>AdamW's first-moment decay.</summary>
    public const double AdamBeta1 = 0.9;

    /// <summary>AdamW's second-moment decay.</summary>
    public const double AdamBeta2 = 0.999;

    /// <summary>AdamW's epsilon.</summary>
    public const double AdamEpsilon = 1e-8;

    /// <summary>Gradient-norm clipping; 0 disables it.</summary>
    public const double MaxGradNorm = 1.0;

    /// <summary>Seed of shuffling, dropout and the head.</summary>
    public const int Seed = 42;

    /// <summary>Encoder layers kept fixed.</summary>
    public const int FreezeLayers = 0;

    /// <summary>
    /// Progress is reported every this many optimizer steps. Every step: the CLI's loss plots need each step, and a caller that prints
    /// less often says so (the progress view of <c>typedbert train</c> throttles by time).
    /// </summary>
    public const int LoggingSteps = 1;
}
