namespace TypedBert;

/// <summary>How a <c>[BertTrainingConfig]</c> trains its classifier.</summary>
public enum TrainingMethod
{
    /// <summary>Standard fine-tuning with <c>Training.Trainer</c> and the configuration's <c>Options</c>.</summary>
    FineTune,

    /// <summary>
    /// Few-shot training for 8 to 64 examples per label (<c>Training.FewShot.FewShotTrainer</c>, SetFit's recipe) with the
    /// configuration's <c>FewShotOptions</c>.
    /// </summary>
    SetFit,
}
