using System.Text.Json;
using System.Text.Json.Serialization;

namespace TypedBert.Training.Checkpoints;

/// <summary>One finished epoch as a checkpoint records it; the evaluation logits let a resumed run rebuild its metrics exactly.</summary>
internal sealed record EpochRecord(int Epoch, double TrainingLoss, double LearningRate, double ElapsedSeconds, float[][]? EvalLogits);

/// <summary>
/// The contents of <c>trainer_state.json</c> (as Hugging Face's Trainer names its own): a <see cref="RunState"/> as a checkpoint saves it,
/// everything besides weights and optimizer moments that a run needs to continue where the checkpoint left it.
/// </summary>
internal sealed record TrainerStateFile
{
    /// <summary>Bumped when the meaning of a field changes; older files are refused with a message.</summary>
    public const int CurrentFormat = 1;
    public const string FileName = "trainer_state.json";

    public int Format { get; init; } = CurrentFormat;
    public required int GlobalStep { get; init; }
    /// <summary>The epoch in progress, from 1.</summary>
    public required int Epoch { get; init; }
    /// <summary>Batches of <see cref="Epoch"/> already trained on.</summary>
    public required int BatchesDone { get; init; }
    /// <summary>Whether <see cref="Epoch"/> has also been evaluated and recorded in <see cref="History"/>.</summary>
    public required bool EpochCompleted { get; init; }
    public required double EpochLossSum { get; init; }
    public required long ExamplesSeen { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double LearningRate { get; init; }
    /// <summary>Null until an evaluation happened (the score is then finite).</summary>
    public double? BestScore { get; init; }
    public required int BestEpoch { get; init; }
    /// <summary>The folder name of the checkpoint holding the best weights, when one was kept.</summary>
    public string? BestCheckpoint { get; init; }
    public required int EpochsSinceImprovement { get; init; }
    public required bool StoppedEarly { get; init; }
    public required IReadOnlyList<EpochRecord> History { get; init; }
    /// <summary>libtorch's CPU generator state (dropout masks), base64.</summary>
    public required string RandomState { get; init; }
    public required RunFingerprint Run { get; init; }

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <exception cref="InvalidDataException">The file is unreadable or of another format; the message names it.</exception>
    public static TrainerStateFile Read(string path)
    {
        TrainerStateFile? state;
        try { state = JsonSerializer.Deserialize<TrainerStateFile>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a TypedBert trainer state ({e.Message})", e); }
        if (state is null) throw new InvalidDataException($"{path}: empty trainer state");
        if (state.Format != CurrentFormat)
            throw new InvalidDataException($"{path}: trainer state format {state.Format}; this TypedBert reads format {CurrentFormat}");
        return state;
    }
}
