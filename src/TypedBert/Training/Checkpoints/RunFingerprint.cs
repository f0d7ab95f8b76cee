using System.Security.Cryptography;
using System.Text;
using TypedBert.Data;

namespace TypedBert.Training.Checkpoints;

/// <summary>
/// What must not change between a run and its resumption for the resumed run to equal an uninterrupted one:
/// the data and the options that decide the order of batches and the schedule.
/// </summary>
internal sealed record RunFingerprint(
    string TrainData, string? EvalData, int Epochs, int BatchSize, int GradientAccumulationSteps, double LearningRate,
    int WarmupSteps, int TotalSteps, int Seed, int MaxLength, bool GroupByLength, bool FreezeEmbeddings, int FreezeLayers,
    bool BFloat16MixedPrecision, string? LongText = null, string? WeightAveraging = null, string? SoftTargetLoss = null)
{
    /// <summary>A SHA-256 over every text, pair and target, in order.</summary>
    public static string Hash(IReadOnlyList<TrainingExample> examples)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in examples)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{e.Text}\u0000{e.TextPair}\u0000{e.LabelId}\u0000"));
            foreach (float t in e.Target) sha.AppendData(BitConverter.GetBytes(t));
            // A teacher's soft target is part of the data: another teacher's scores make another run (absent: the hash of before).
            if (e.SoftTarget is { } soft)
            {
                sha.AppendData("\u0001soft"u8);
                foreach (float p in soft) sha.AppendData(BitConverter.GetBytes(p));
            }
        }
        return $"{examples.Count}:{Convert.ToHexString(sha.GetHashAndReset())[..16]}";
    }

    /// <summary>The fields that differ, as "name: checkpoint value → this run's value"; empty when the runs match.</summary>
    public IReadOnlyList<string> Differences(RunFingerprint current)
    {
        var differences = new List<string>();
        void Compare<T>(string name, T saved, T now)
        {
            if (!EqualityComparer<T>.Default.Equals(saved, now)) differences.Add($"{name}: {saved?.ToString() ?? "none"} in the checkpoint, {now?.ToString() ?? "none"} now");
        }
        Compare("training data", TrainData, current.TrainData);
        Compare("evaluation data", EvalData, current.EvalData);
        Compare(nameof(Epochs), Epochs, current.Epochs);
        Compare(nameof(BatchSize), BatchSize, current.BatchSize);
        Compare(nameof(GradientAccumulationSteps), GradientAccumulationSteps, current.GradientAccumulationSteps);
        Compare(nameof(LearningRate), LearningRate, current.LearningRate);
        Compare(nameof(WarmupSteps), WarmupSteps, current.WarmupSteps);
        Compare(nameof(TotalSteps), TotalSteps, current.TotalSteps);
        Compare(nameof(Seed), Seed, current.Seed);
        Compare(nameof(MaxLength), MaxLength, current.MaxLength);
        Compare(nameof(GroupByLength), GroupByLength, current.GroupByLength);
        Compare(nameof(FreezeEmbeddings), FreezeEmbeddings, current.FreezeEmbeddings);
        Compare(nameof(FreezeLayers), FreezeLayers, current.FreezeLayers);
        Compare(nameof(BFloat16MixedPrecision), BFloat16MixedPrecision, current.BFloat16MixedPrecision);
        // Windows change what an epoch trains on, so a resume with another strategy, window, stride or cap would not continue the same run.
        // A checkpoint written before the field existed truncated (at MaxLength, compared above), so it resumes a truncating run.
        if (LongText is not null || current.LongText?.StartsWith("truncate ", StringComparison.Ordinal) != true)
            Compare("long text", LongText, current.LongText);
        // The average is part of what a checkpoint continues; checkpoints written before the field never averaged (null, as now without it).
        Compare("weight averaging", WeightAveraging, current.WeightAveraging);
        Compare("soft-target loss", SoftTargetLoss, current.SoftTargetLoss);
        return differences;
    }
}
