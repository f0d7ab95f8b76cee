namespace TypedBert.Training;

/// <summary>
/// The default of each training setting as a constant (usable in an attribute argument); <see cref="TrainingOptionTable"/> gives each
/// its range, key and flag, and <c>TrainingOptions</c>, <c>[BertTrainingConfig]</c>, the source generator and <c>typedbert train</c>
/// read them there.
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
