namespace TypedBert.Training.FewShot;

/// <summary>
/// The defaults of few-shot training, in one place: <see cref="FewShotOptions"/>, <c>[BertTrainingConfig(Method = TrainingMethod.SetFit)]</c>,
/// the source generator's reading of that attribute and <c>typedbert train --method setfit</c> take them from here (the generator
/// compiles this same file).
/// </summary>
#if TYPEDBERT_GENERATOR
internal
#else
public
#endif
static class FewShotDefaults
{
    /// <summary>Rounds of pair sampling (SetFit's <c>num_iterations</c>).</summary>
    public const int PairIterations = 20;

    /// <summary>Pairs per optimizer step of the contrastive phase.</summary>
    public const int BodyBatchSize = 16;

    /// <summary>Peak learning rate of the encoder in the contrastive phase.</summary>
    public const double BodyLearningRate = 2e-5;

    /// <summary>Full-batch steps of the head's fit.</summary>
    public const int HeadSteps = 300;

    /// <summary>Allowed range of <see cref="PairIterations"/>.</summary>
    public const int MaxPairIterations = 1000;

    /// <summary>Allowed range of <see cref="HeadSteps"/>.</summary>
    public const int MaxHeadSteps = 100_000;
}
