using TypedBert.Training.Checkpoints;

namespace TypedBert.Tests.Training;

/// <summary>
/// <c>SaveTotalLimit</c>: the newest checkpoints are kept, and the best one too even when it is older; folders that are not complete
/// checkpoints are left alone. Worked out by hand on folders made by the test.
/// </summary>
public sealed class CheckpointRetentionTests
{
    static TemporaryFolder Checkpoints(params int[] steps)
    {
        var folder = new TemporaryFolder();
        foreach (int step in steps)
        {
            string path = Directory.CreateDirectory(Path.Combine(folder.Path, $"checkpoint-{step}")).FullName;
            File.WriteAllText(Path.Combine(path, TrainerStateFile.FileName), "{}");
        }
        return folder;
    }

    static List<string> Left(TemporaryFolder folder) => [.. Directory.GetDirectories(folder.Path).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_newest_are_kept_and_an_older_best_checkpoint_survives_beside_them()
    {
        using var folder = Checkpoints(2, 4, 6, 8, 10, 12);
        CheckpointStore.Rotate(folder.Path, keep: 3, best: "checkpoint-4");
        Assert.Equal(["checkpoint-10", "checkpoint-12", "checkpoint-4", "checkpoint-8"], Left(folder));
    }

    [Fact]
    public void A_best_checkpoint_among_the_newest_takes_no_extra_place()
    {
        using var folder = Checkpoints(2, 4, 6, 8, 10, 12);
        CheckpointStore.Rotate(folder.Path, keep: 3, best: "checkpoint-10");
        Assert.Equal(["checkpoint-10", "checkpoint-12", "checkpoint-8"], Left(folder));
        CheckpointStore.Rotate(folder.Path, keep: 1, best: null);
        Assert.Equal(["checkpoint-12"], Left(folder));
    }

    [Fact]
    public void Steps_are_ordered_as_numbers_and_unfinished_folders_are_not_counted_or_deleted()
    {
        // By name, checkpoint-9 sorts after checkpoint-10 and checkpoint-100; by step it is the oldest.
        using var folder = Checkpoints(9, 10, 100);
        Directory.CreateDirectory(Path.Combine(folder.Path, "checkpoint-200"));   // no trainer_state.json: a write in progress
        Directory.CreateDirectory(Path.Combine(folder.Path, "checkpoint-final")); // not a step
        CheckpointStore.Rotate(folder.Path, keep: 2, best: null);
        Assert.Equal(["checkpoint-10", "checkpoint-100", "checkpoint-200", "checkpoint-final"], Left(folder));
    }
}
