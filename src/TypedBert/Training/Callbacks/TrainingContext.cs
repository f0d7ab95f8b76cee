using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training.Checkpoints;

namespace TypedBert.Training.Callbacks;

/// <summary>
/// What the loop and its callbacks share during one <see cref="Trainer.Train"/> call: its inputs (classifier, options, optimizer,
/// evaluation data), its callbacks, its clocks and where it is (<see cref="Run"/>). Decisions go through <see cref="TrainerControl"/>.
/// </summary>
internal sealed class TrainingContext
{
    readonly Stopwatch clock = new();
    readonly Stopwatch trainingClock = new(); // excludes evaluation, so examples/s and ETA describe training alone

    public TrainingContext(TextClassifier classifier, TrainingOptions options, AdamWOptimizer optimizer, RunFingerprint fingerprint,
        IReadOnlyList<TrainingExample>? eval, int totalSteps)
    {
        Classifier = classifier;
        Options = options;
        Optimizer = optimizer;
        Fingerprint = fingerprint;
        Eval = eval;
        TotalSteps = totalSteps;
    }

    public TextClassifier Classifier { get; }
    public TrainingOptions Options { get; }
    public AdamWOptimizer Optimizer { get; }
    public RunFingerprint Fingerprint { get; }
    public IReadOnlyList<TrainingExample>? Eval { get; }
    public int TotalSteps { get; }

    /// <summary>Every policy of the run, in order, for the events that one callback passes on (checkpoints ask each for its state).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; set; } = [];

    /// <summary>The run's position: what checkpoints save and a resume restores.</summary>
    public RunState Run { get; } = new();

    public PhaseClocks Phases { get; } = new();

    /// <summary>Wall time of the run, including the time before a resume.</summary>
    public TimeSpan Elapsed => Run.ElapsedBefore + clock.Elapsed;

    /// <summary>Training time of the run (no evaluation), including the time before a resume.</summary>
    public TimeSpan Training => Run.TrainingBefore + trainingClock.Elapsed;

    public void StartClock() => clock.Start();
    public void StartTrainingClock() => trainingClock.Start();
    public void StopTrainingClock() => trainingClock.Stop();

    /// <summary>The exception for a run whose loss, gradients or weights stopped being finite, naming the last good checkpoint.</summary>
    public TrainingDivergedException Diverged(string what)
    {
        string? latest = Options.CheckpointDirectory is null ? null : CheckpointStore.FindLatest(Options.CheckpointDirectory);
        return new TrainingDivergedException(what, Run.Epoch, Run.Step + 1, latest);
    }
}
