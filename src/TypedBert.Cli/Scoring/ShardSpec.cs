using System.Globalization;
using TypedBert.Cli.Errors;

namespace TypedBert.Cli.Scoring;

/// <summary>
/// <c>--shard I/N</c>: worker <c>I</c> (0-based, as a Kubernetes Indexed Job's <c>JOB_COMPLETION_INDEX</c> and a Slurm array
/// <c>--array=0-(N-1)</c> give it) of <c>N</c>. A shard owns a contiguous run of whole chunks, so the outputs of shards 0..N-1
/// concatenate to the output of one process.
/// </summary>
internal readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec Whole = new(0, 1);

    public static ShardSpec Parse(string? text)
    {
        if (text is null) return Whole;
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
            throw CliException.Usage($"--shard {text}: expected I/N, two whole numbers such as 0/4 (worker I of N, counted from 0)");
        if (count < 1) throw CliException.Usage($"--shard {text}: N must be at least 1");
        if (index >= count)
            throw CliException.Usage($"--shard {text}: the index must be from 0 to {count - 1} (counted from 0, as JOB_COMPLETION_INDEX or a Slurm --array=0-{count - 1} give it)");
        return new ShardSpec(index, count);
    }

    /// <summary>The chunks [first, end) this shard scores out of <paramref name="chunks"/>.</summary>
    public (long First, long End) Chunks(long chunks) => (chunks * Index / Count, chunks * (Index + 1) / Count);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
