namespace TypedBert.Training.FewShot;

/// <summary>
/// Settings of <see cref="FewShotTrainer"/>: SetFit's two phases (Tunstall et al. 2022). The defaults are SetFit's published
/// defaults (20 pair iterations, batch 16, one epoch, body learning rate 2e-5, 10 % warm-up, gradient norm clipped at 1, a
/// logistic-regression head with C = 1), not values tuned on a test set; the head reads the features as they are, where SetFit's
/// reads them at unit length (chosen on AG News dev: docs/results.md).
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

    /// <summary>
    /// Largest L2 norm of the encoder's gradient in a contrastive step (clipped above it, as sentence-transformers' <c>fit</c> does
    /// with its default 1); 0 leaves the gradient unclipped.
    /// </summary>
    public double BodyMaxGradNorm { get; init; } = 1.0;

    /// <summary>How the head is fitted on the tuned features: SetFit's logistic regression, or gradient descent on the model's loss.</summary>
    public HeadFit Head { get; init; } = HeadFit.LogisticRegression;

    /// <summary>
    /// Inverse strength of the logistic-regression head's L2 penalty (scikit-learn's <c>C</c>, default 1): the fit minimises
    /// C × the summed log-loss + ½‖W‖², the intercept not penalised.
    /// </summary>
    public double HeadC { get; init; } = 1.0;

    /// <summary>
    /// Whether the logistic-regression head is fitted on unit-length features, as SetFit's is (all-MiniLM-L6-v2 ends in a normalisation
    /// layer). Off by default: on the features themselves the fit is the saved head exactly, and it scored higher on AG News dev
    /// (docs/results.md, issue 26). When on, the fitted weights are divided by the training features' mean length, so the saved head
    /// reads the encoder's raw features (the same decision for a text of that length, not exactly SetFit's for the others).
    /// </summary>
    public bool NormalizeHeadFeatures { get; init; }

    /// <summary>
    /// Full-batch iterations of the head fit: at most this many L-BFGS iterations for <see cref="HeadFit.LogisticRegression"/> (it
    /// stops at the optimum, usually far sooner), or this many AdamW steps for <see cref="HeadFit.GradientDescent"/>.
    /// </summary>
    public int HeadSteps { get; init; } = FewShotDefaults.HeadSteps;

    /// <summary>Learning rate of the <see cref="HeadFit.GradientDescent"/> head fit.</summary>
    public double HeadLearningRate { get; init; } = 1e-2;

    /// <summary>L2 penalty of the <see cref="HeadFit.GradientDescent"/> head fit (decoupled weight decay).</summary>
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
        // The settings [BertTrainingConfig] and typedbert train also set are checked against their rows of the table, as the generator checks them.
        static void InRange(TrainingOption option, double? value, string name)
        {
            if (value is double number && !option.Accepts(number)) throw new ArgumentException($"{name} {number} must {option.Range!.Requirement}");
        }
        InRange(TrainingOptionTable.PairIterations, PairIterations, nameof(PairIterations));
        Require(BodyEpochs is >= 0 and <= 100, $"BodyEpochs {BodyEpochs} must be between 0 and 100 (0 fits the head on the pre-trained features alone)");
        InRange(TrainingOptionTable.BodyBatchSize, BodyBatchSize, nameof(BodyBatchSize));
        InRange(TrainingOptionTable.BodyLearningRate, BodyLearningRate, nameof(BodyLearningRate));
        InRange(TrainingOptionTable.WarmupRatio, WarmupRatio, nameof(WarmupRatio));
        InRange(TrainingOptionTable.HeadSteps, HeadSteps, nameof(HeadSteps));
        Require(BodyMaxGradNorm >= 0 && double.IsFinite(BodyMaxGradNorm), $"BodyMaxGradNorm {BodyMaxGradNorm} must be 0 (no clipping) or positive");
        Require(HeadC > 0 && HeadC <= 1e6, $"HeadC {HeadC} must be in (0, 1e6]");
        Require(HeadLearningRate > 0 && HeadLearningRate < 10, $"HeadLearningRate {HeadLearningRate} must be in (0, 10)");
        Require(HeadWeightDecay >= 0 && HeadWeightDecay < 1, $"HeadWeightDecay {HeadWeightDecay} must be in [0, 1)");
        InRange(TrainingOptionTable.MaxLength, MaxLength, nameof(MaxLength));
    }

    /// <summary>
    /// The contrastive phase described as training options, for the trainer's callbacks that read them (reports every step, no
    /// checkpoints); <paramref name="maxLength"/> is the length the phase encodes at.
    /// </summary>
    internal TrainingOptions ContrastivePhase(int maxLength) => new()
    {
        Epochs = BodyEpochs,
        BatchSize = BodyBatchSize,
        LearningRate = BodyLearningRate,
        WarmupRatio = WarmupRatio,
        WeightDecay = FewShotDefaults.BodyWeightDecay,
        MaxLength = maxLength,
        Seed = unchecked((int)Seed),
        LoggingSteps = 1,
    };

    /// <summary>Contrastive steps of warm-up out of <paramref name="totalSteps"/>: the <see cref="WarmupRatio"/> share, rounded up.</summary>
    public int WarmupStepsOf(int totalSteps) => (int)Math.Ceiling(WarmupRatio * totalSteps);
}
