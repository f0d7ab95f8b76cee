using TypedBert.Training;
using TypedBert.Training.FewShot;

namespace TypedBert.Server.Labelling;

/// <summary>
/// How the page's "retrain" trains: few-shot (SetFit's recipe) while the rarest label has fewer than <see cref="FineTuneFromPerLabel"/>
/// training rows, fine-tuning from there on, as <c>typedbert train</c> advises; one row in <see cref="HeldOutEvery"/> of each label is held
/// out to compare the new model with the served one. Tests replace it with a smaller budget.
/// </summary>
internal sealed record RetrainSettings
{
    /// <summary>Training rows of the rarest label from which fine-tuning replaces few-shot training.</summary>
    public int FineTuneFromPerLabel { get; init; } = 64;

    /// <summary>Every this many rows of a label (ordered by a hash of their text), one is held out.</summary>
    public int HeldOutEvery { get; init; } = 5;

    /// <summary>The few-shot settings.</summary>
    public FewShotOptions FewShot { get; init; } = new();

    /// <summary>The fine-tuning settings.</summary>
    public TrainingOptions FineTune { get; init; } = new() { Epochs = 3 };
}
