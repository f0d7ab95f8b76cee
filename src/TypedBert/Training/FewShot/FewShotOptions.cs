using TypedBert.Classification.LongText;

namespace TypedBert.Training.FewShot;

/// <summary>
/// Settings of <see cref="FewShotTrainer"/>: SetFit's two phases (Tunstall et al. 2022). The defaults are SetFit's published
/// defaults (20 pair iterations, batch 16, one epoch, body learning rate 2e-5, 10 % warm-up), not values tuned on a test set.
/// </summary>
public sealed record FewShotOptions
{
    /// <summary>
    /// Rounds of pair sampling: each round gives every example one positive and one negative partner (SetFit's <c>num_iterations</c>);
    /// with <see cref="PairSampling.AllInBatch"/>, each round is one shuffled pass over the examples.
    /// </summary>
    public int PairIterations { get; init; } = FewShotDefaults.PairIterations;

    /// <summary>Which pairs the contrastive phase learns from: SetFit's sampled pairs, or every pair within a batch.</summary>
    public PairSampling Pairs { get; init; } = PairSampling.Sampled;

    /// <summary>Passes over the pairs in the contrastive phase.</summary>
    public int BodyEpochs { get; init; } = 1;

    /// <summary>Pairs per optimizer step in the contrastive phase (with <see cref="PairSampling.AllInBatch"/>, twice as many examples per step).</summary>
    public int BodyBatchSize { get; init; } = FewShotDefaults.BodyBatchSize;

    /// <summary>Peak learning rate of the encoder in the contrastive phase (linear warm-up, then linear decay).</summary>
    public double BodyLearningRate { get; init; } = FewShotDefaults.BodyLearningRate;

    /// <summary>Share of the contrastive steps spent warming up.</summary>
    public double WarmupRatio { get; init; } = 0.1;

    /// <summary>Full-batch optimizer steps that fit the head on the tuned features.</summary>
    public int HeadSteps { get; init; } = FewShotDefaults.HeadSteps;

    /// <summary>Learning rate of the head fit.</summary>
    public double HeadLearningRate { get; init; } = 1e-2;

    /// <summary>L2 penalty of the head fit (decoupled weight decay), the counterpart of logistic regression's regularisation.</summary>
    public double HeadWeightDecay { get; init; } = 0.01;

    /// <summary>
    /// bf16 mixed precision in the contrastive phase: the Linear layers' matmuls in bf16, as <see cref="TrainingOptions.BFloat16MixedPrecision"/>
    /// does for fine-tuning; faster only on CPUs with a bf16 matmul unit. The head's features and fit stay fp32.
    /// </summary>
    public bool BFloat16MixedPrecision { get; init; }

    /// <summary>Longest input in tokens; the classifier's maximum length when null.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Seeds pair sampling, batch order and dropout.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Checks every value; the message names the property and its range.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new ArgumentException(message);
        }
        Require(PairIterations is >= 1 and <= FewShotDefaults.MaxPairIterations, $"PairIterations {PairIterations} must be between 1 and {FewShotDefaults.MaxPairIterations}");
        Require(BodyEpochs is >= 0 and <= 100, $"BodyEpochs {BodyEpochs} must be between 0 and 100 (0 fits the head on the pre-trained features alone)");
        Require(BodyBatchSize is >= 1 and <= 1024, $"BodyBatchSize {BodyBatchSize} must be between 1 and 1024");
        Require(BodyLearningRate > 0 && BodyLearningRate < 1, $"BodyLearningRate {BodyLearningRate} must be in (0, 1)");
        Require(WarmupRatio >= 0 && WarmupRatio < 1, $"WarmupRatio {WarmupRatio} must be in [0, 1)");
        Require(HeadSteps is >= 1 and <= FewShotDefaults.MaxHeadSteps, $"HeadSteps {HeadSteps} must be between 1 and {FewShotDefaults.MaxHeadSteps}");
        Require(HeadLearningRate > 0 && HeadLearningRate < 10, $"HeadLearningRate {HeadLearningRate} must be in (0, 10)");
        Require(HeadWeightDecay >= 0 && HeadWeightDecay < 1, $"HeadWeightDecay {HeadWeightDecay} must be in [0, 1)");
        Require(MaxLength is null or >= LongTextLimits.MinimumSequence, $"MaxLength {MaxLength} must be at least {LongTextLimits.MinimumSequence}");
    }
}
