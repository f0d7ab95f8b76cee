namespace TypedBert.Training.FewShot;

/// <summary>Which pairs the contrastive phase of <see cref="FewShotTrainer"/> learns from.</summary>
public enum PairSampling
{
    /// <summary>
    /// SetFit's sampling: each round gives every example one random positive and one random negative partner, and a step
    /// encodes <see cref="FewShotOptions.BodyBatchSize"/> such pairs (both texts of each).
    /// </summary>
    Sampled,

    /// <summary>
    /// Every pair within a batch: a step encodes 2 x <see cref="FewShotOptions.BodyBatchSize"/> examples once and learns from
    /// all pairs among them, positives and negatives weighted equally. The same forward cost per step as <see cref="Sampled"/>
    /// gives about 30 times the pairs; a round is one pass over the examples, so a run takes far fewer steps.
    /// </summary>
    AllInBatch,
}
