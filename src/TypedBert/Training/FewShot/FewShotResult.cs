namespace TypedBert.Training.FewShot;

/// <summary>What a few-shot run did.</summary>
/// <param name="Pairs">Contrastive pairs learnt from per epoch: those sampled, or with <see cref="PairSampling.AllInBatch"/> every pair within each batch.</param>
/// <param name="BodySteps">Optimizer steps of the contrastive phase.</param>
/// <param name="BodyLoss">Mean cosine-similarity loss of the last contrastive epoch (NaN when the phase was skipped).</param>
/// <param name="HeadLoss">The head's objective at the end of its fit: for <see cref="HeadFit.LogisticRegression"/> C × the summed log-loss + ½‖W‖² (scikit-learn's), for <see cref="HeadFit.GradientDescent"/> the mean training loss.</param>
/// <param name="Elapsed">Wall time of both phases.</param>
/// <param name="Evaluation">Scores on the evaluation examples, when given.</param>
public sealed record FewShotResult(int Pairs, int BodySteps, double BodyLoss, double HeadLoss, TimeSpan Elapsed, EvaluationResult? Evaluation);
