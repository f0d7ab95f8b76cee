using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>Watches a <see cref="HyperparameterSearch"/>: each trial's start and end, and the training inside it (for progress displays).</summary>
public interface ISearchObserver
{
    /// <summary>Trial <paramref name="number"/> is about to train with <paramref name="parameters"/>.</summary>
    void TrialStarting(int number, TrialParameters parameters) { }

    /// <summary>Runs a trial's training, which reports to the progress sink it is given (null: none).</summary>
    TrainingResult Train(Func<IProgress<TrainingProgress>?, TrainingResult> train) => train(null);

    /// <summary>A trial ended and the study's state, with it, is saved.</summary>
    void TrialFinished(Trial trial) { }
}
