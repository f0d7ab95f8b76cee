using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Hub.Datasets;

/// <summary>One split of a hub dataset, read from its Parquet files.</summary>
public sealed class HubDatasetSplit
{
    internal HubDatasetSplit(HubRepoId repo, string config, string split, string commit, IReadOnlyList<string> files, IReadOnlyList<DataRow> rows,
        IReadOnlyList<DataFormatException> skipped, LabelSet labels)
    {
        Repo = repo;
        Config = config;
        Split = split;
        Commit = commit;
        Files = files;
        Rows = rows;
        Skipped = skipped;
        Labels = labels;
    }

    /// <summary>The dataset.</summary>
    public HubRepoId Repo { get; }

    /// <summary>The configuration (subset), such as <c>plain_text</c> or <c>default</c>.</summary>
    public string Config { get; }

    /// <summary>The split, such as <c>train</c>.</summary>
    public string Split { get; }

    /// <summary>The commit of the <c>refs/convert/parquet</c> branch the files came from.</summary>
    public string Commit { get; }

    /// <summary>The Parquet files in the cache, in the order their rows were read.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The rows; <see cref="DataRow.Source"/> is the Parquet file and <see cref="DataRow.Line"/> the 1-based row in it.</summary>
    public IReadOnlyList<DataRow> Rows { get; }

    /// <summary>Rows left out because of a problem (only when loaded with skipBadRows).</summary>
    public IReadOnlyList<DataFormatException> Skipped { get; }

    /// <summary>
    /// The labels: the dataset's ClassLabel names in id order when its files describe them (so ids match the hub's), else the labels
    /// found in the rows (see <see cref="LabelSet.FromRows"/>).
    /// </summary>
    public LabelSet Labels { get; }

    /// <summary>The rows as training examples.</summary>
    /// <exception cref="DataFormatException">A label is unknown or not a number (file, row and reason).</exception>
    public List<TrainingExample> ToExamples(ProblemType problemType = ProblemType.SingleLabel) => TrainingExample.FromRows(Rows, Labels, problemType);
}
