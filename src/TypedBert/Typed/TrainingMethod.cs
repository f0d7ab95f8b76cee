namespace TypedBert;

/// <summary>How a <c>[BertTrainingConfig]</c> trains its classifier.</summary>
public enum TrainingMethod
{
    /// <summary>Standard fine-tuning with <see cref="Training.Trainer"/> and the configuration's <c>Options</c>.</summary>
    FineTune,

    /// <summary>
    /// Few-shot training for 8 to 64 examples per label (<see cref="Training.FewShot.FewShotTrainer"/>, SetFit's recipe) with the
    /// configuration's <c>FewShotOptions</c>.
    /// </summary>
    SetFit,
}
