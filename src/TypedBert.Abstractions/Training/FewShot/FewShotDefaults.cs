namespace TypedBert.Training.FewShot;

/// <summary>
/// The defaults of few-shot training, in one place: <c>FewShotOptions</c>, <c>[BertTrainingConfig(Method = TrainingMethod.SetFit)]</c>,
/// the source generator's reading of that attribute and <c>typedbert train --method setfit</c> take them from here (through
/// <see cref="TrainingOptionTable"/>, where they have their ranges).
/// </summary>
public static class FewShotDefaults
{
    /// <summary>Rounds of pair sampling (SetFit's <c>num_iterations</c>).</summary>
    public const int PairIterations = 20;

    /// <summary>Pairs per optimizer step of the contrastive phase.</summary>
    public const int BodyBatchSize = 16;

    /// <summary>AdamW weight decay of the encoder in the contrastive phase (sentence-transformers' <c>fit</c> default).</summary>
    public const double BodyWeightDecay = 0.01;

    /// <summary>Peak learning rate of the encoder in the contrastive phase.</summary>
    public const double BodyLearningRate = 2e-5;

    /// <summary>Full-batch steps of the head's fit.</summary>
    public const int HeadSteps = 300;

    /// <summary>Allowed range of <see cref="PairIterations"/>.</summary>
    public const int MaxPairIterations = 1000;

    /// <summary>Allowed range of <see cref="HeadSteps"/>.</summary>
    public const int MaxHeadSteps = 100_000;
}
