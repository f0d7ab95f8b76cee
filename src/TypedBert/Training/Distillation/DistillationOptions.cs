namespace TypedBert.Training.Distillation;

/// <summary>How a <see cref="Distiller"/> turns teachers and an unlabelled pool into a student.</summary>
public sealed record DistillationOptions
{
    /// <summary>The student's training (epochs, learning rate, ...), its <see cref="TrainingOptions.SoftTargetLoss"/> (temperature, alpha) included.
    /// <see cref="TrainingOptions.CheckpointDirectory"/> is replaced per round by <see cref="CheckpointDirectory"/>.</summary>
    public TrainingOptions Training { get; init; } = new();

    /// <summary>Which pool texts the student trains on.</summary>
    public PoolSelection Selection { get; init; } = new();

    /// <summary>
    /// Pool texts teach the teachers' favoured label as a one-hot target (classic self-training's pseudo-labels) instead of their soft
    /// distribution: a student then learns the decision, not the teacher's uncertainty, which a weak or badly calibrated teacher (a
    /// zero-shot one, a few-shot one) passes on with its soft labels.
    /// </summary>
    public bool HardTargets { get; init; }

    /// <summary>Rounds of teaching: the student of round r is the only teacher of round r + 1.</summary>
    public int Rounds { get; init; } = 1;

    /// <summary>Encoder layers of the student (the source's evenly spaced, <see cref="StudentLayers"/>); null: as many as its source.</summary>
    public int? StudentLayers { get; init; }

    /// <summary>
    /// Checkpoints of each round's training (<c>distill-round-N</c>) and each finished round's student (<c>distill-round-N.student</c>) go
    /// here; null writes none.
    /// </summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Continue from <see cref="CheckpointDirectory"/>: finished rounds are read back, the unfinished one resumes from its newest checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>The training options of a round that writes its checkpoints to <paramref name="checkpoints"/> (none when null).</summary>
    internal TrainingOptions RoundTraining(string? checkpoints) =>
        Training with { CheckpointDirectory = checkpoints, SaveSteps = checkpoints is null ? null : Training.SaveSteps, ResumeFromCheckpoint = null };

    /// <summary>Checks every value; the message names the option.</summary>
    public void Validate()
    {
        RoundTraining(CheckpointDirectory).Validate();
        Selection.Validate();
        if (Rounds < 1) throw new ArgumentException($"Rounds must be at least 1, not {Rounds}");
        if (StudentLayers is < 1) throw new ArgumentException($"StudentLayers must be at least 1, not {StudentLayers}");
        if (Resume && CheckpointDirectory is null) throw new ArgumentException("Resume reads checkpoints; set CheckpointDirectory");
    }
}
