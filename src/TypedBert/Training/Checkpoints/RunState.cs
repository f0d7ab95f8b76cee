namespace TypedBert.Training.Checkpoints;

/// <summary>
/// Where a training run is (epoch, step, best score, history), updated as it goes: what a checkpoint saves as a
/// <see cref="TrainerStateFile"/> and a resumed run starts from. Part of the run's <c>TrainingContext</c>.
/// </summary>
internal sealed class RunState
{
    public int Epoch { get; set; } = 1;
    public int BatchesDone { get; set; }
    public bool EpochCompleted { get; set; }
    public double EpochLossSum { get; set; }
    public int Step { get; set; }
    public long ExamplesSeen { get; set; }
    public double LearningRate { get; set; }
    public double? BestScore { get; set; }
    public int BestEpoch { get; set; }
    public string? BestCheckpoint { get; set; }
    public int EpochsSinceImprovement { get; set; }
    public bool StoppedEarly { get; set; }
    public TimeSpan ElapsedBefore { get; private set; }
    public TimeSpan TrainingBefore { get; private set; }
    public List<EpochRecord> History { get; } = [];
    public List<EpochSummary> Summaries { get; } = [];

    public void StartNextEpoch()
    {
        Epoch++;
        BatchesDone = 0;
        EpochLossSum = 0;
        EpochCompleted = false;
    }

    public TrainerStateFile ToState(RunFingerprint fingerprint, string randomState, TimeSpan elapsed, TimeSpan training) => new()
    {
        GlobalStep = Step,
        Epoch = Epoch,
        BatchesDone = BatchesDone,
        EpochCompleted = EpochCompleted,
        EpochLossSum = EpochLossSum,
        ExamplesSeen = ExamplesSeen,
        ElapsedSeconds = elapsed.TotalSeconds,
        TrainingSeconds = training.TotalSeconds,
        LearningRate = LearningRate,
        BestScore = BestScore,
        BestEpoch = BestEpoch,
        BestCheckpoint = BestCheckpoint,
        EpochsSinceImprovement = EpochsSinceImprovement,
        StoppedEarly = StoppedEarly,
        History = [.. History],
        RandomState = randomState,
        Run = fingerprint,
    };

    /// <summary>Takes every field from <paramref name="state"/>; the caller rebuilds <see cref="Summaries"/>.</summary>
    public void Restore(TrainerStateFile state)
    {
        Step = state.GlobalStep;
        Epoch = state.Epoch;
        BatchesDone = state.BatchesDone;
        EpochCompleted = state.EpochCompleted;
        EpochLossSum = state.EpochLossSum;
        ExamplesSeen = state.ExamplesSeen;
        ElapsedBefore = TimeSpan.FromSeconds(state.ElapsedSeconds);
        TrainingBefore = TimeSpan.FromSeconds(state.TrainingSeconds);
        LearningRate = state.LearningRate;
        BestScore = state.BestScore;
        BestEpoch = state.BestEpoch;
        BestCheckpoint = state.BestCheckpoint;
        EpochsSinceImprovement = state.EpochsSinceImprovement;
        StoppedEarly = state.StoppedEarly;
        History.Clear();
        History.AddRange(state.History);
    }
}
