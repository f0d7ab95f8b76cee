using TypedBert.Data;

namespace TypedBert.Hub.Datasets;

/// <summary>
/// <c>load_dataset</c> for text classification: one split of a hub dataset, read from the Parquet files the hub keeps for every public
/// dataset on the branch <c>refs/convert/parquet</c>.
/// </summary>
/// <remarks>
/// Hugging Face <c>datasets</c> falls back to this branch for datasets it cannot build otherwise: it pins the branch to a commit, takes
/// the list of Parquet files of each configuration and split from the dataset viewer, and reads them at that commit through the hub
/// (<c>hf://datasets/{id}@{commit}/{config}/{split}/*.parquet</c>). TypedBert reads the same files the same way, listing them with the
/// hub's own APIs so that no second service is involved: the commit from <c>GET /api/datasets/{id}/revision/refs%2Fconvert%2Fparquet</c>,
/// the files from the tree API (<c>GET /api/datasets/{id}/tree/{commit}/{config}/{split}</c>, all pages), read in path order and
/// downloaded through the shared cache (<c>datasets--{org}--{name}</c>, <c>refs/refs/convert/parquet</c>). The hub's
/// <c>/api/datasets/{id}/parquet/{config}/{split}</c> endpoint would give the same files as URLs, which the cache cannot be keyed by.
/// Splits the converter cut short live in <c>{config}/partial-{split}/</c> and are used when the whole split is absent. Offline, the split
/// is read from the cached snapshot of the branch.
/// </remarks>
public static class HubDatasets
{
    /// <summary>The branch where the hub keeps the Parquet conversion of every public dataset.</summary>
    public const string ParquetRevision = "refs/convert/parquet";

    /// <summary>Reads <paramref name="split"/> of the dataset <paramref name="datasetId"/>.</summary>
    /// <param name="datasetId"><c>imdb</c> or <c>org/name</c>.</param>
    /// <param name="split"><c>train</c>, <c>test</c>, <c>validation</c>…</param>
    /// <param name="config">The configuration (subset); when null, <c>default</c> if there is one, else the only one.</param>
    /// <param name="columns">Which columns hold text and label; <c>text</c> and <c>label</c> by default.</param>
    /// <param name="options">Hub settings; <see cref="HubOptions.FromEnvironment"/> when null.</param>
    /// <param name="skipBadRows">Leave out rows with a problem (listed in <see cref="HubDatasetSplit.Skipped"/>) instead of throwing.</param>
    /// <param name="cancel">Stops the download.</param>
    /// <exception cref="HubNotFoundException">No such dataset, configuration or split (the message lists what there is).</exception>
    /// <exception cref="DataFormatException">A row is unusable: the message names the Parquet file, the row and the column.</exception>
    public static async Task<HubDatasetSplit> LoadAsync(string datasetId, string split, string? config = null, DataColumns? columns = null,
        HubOptions? options = null, bool skipBadRows = false, CancellationToken cancel = default)
    {
        var repo = new HubRepoId(datasetId, HubRepoType.Dataset);
        columns ??= new DataColumns();
        var client = new HubClient(options);
        string commit = await client.ResolveCommitAsync(repo, ParquetRevision, cancel).ConfigureAwait(false);
        var listing = new ParquetListing(client, repo, commit);

        var configs = await listing.FoldersAsync("", cancel).ConfigureAwait(false);
        config ??= configs.Contains("default") ? "default" : configs.Count == 1 ? configs[0]
            : throw new HubNotFoundException($"{repo} has several configurations; name one: {string.Join(", ", configs)}", repo, ParquetRevision);
        if (!configs.Contains(config))
            throw new HubNotFoundException($"{repo} has no configuration \"{config}\" (there are: {string.Join(", ", configs)})", repo, ParquetRevision);

        var splits = await listing.FoldersAsync(config, cancel).ConfigureAwait(false);
        string folder = splits.Contains(split) ? split : splits.Contains("partial-" + split) ? "partial-" + split
            : throw new HubNotFoundException($"{repo} ({config}) has no split \"{split}\" (there are: {string.Join(", ", splits)})", repo, ParquetRevision);
        var names = await listing.ParquetFilesAsync($"{config}/{folder}", cancel).ConfigureAwait(false);
        if (names.Count == 0)
            throw new HubNotFoundException($"{repo} ({config}/{split}) has no Parquet files", repo, ParquetRevision);

        var files = new List<string>();
        var rows = new List<DataRow>();
        var skipped = new List<DataFormatException>();
        IReadOnlyList<string>? labelNames = null;
        foreach (string name in names)
        {
            string file = await client.DownloadFileAsync(repo, name, commit, cancel).ConfigureAwait(false);
            files.Add(file);
            var (fileRows, fileLabelNames) = await ParquetRows.ReadAsync(file, columns, skipBadRows, skipped, cancel).ConfigureAwait(false);
            rows.AddRange(fileRows);
            labelNames ??= fileLabelNames;
        }
        var labels = labelNames is not null ? new LabelSet(labelNames) : LabelSet.FromRows(rows, multiLabel: false);
        return new HubDatasetSplit(repo, config, split, commit, files, rows, skipped, labels);
    }

    /// <summary>The synchronous form of <see cref="LoadAsync"/>.</summary>
    public static HubDatasetSplit Load(string datasetId, string split, string? config = null, DataColumns? columns = null,
        HubOptions? options = null, bool skipBadRows = false) =>
        Task.Run(() => LoadAsync(datasetId, split, config, columns, options, skipBadRows)).GetAwaiter().GetResult();
}
