
namespace TypedBert.Hub.Datasets;

/// <summary>Folders and Parquet files of the Parquet branch at one commit: from the tree API online, from the cached snapshot offline.</summary>
internal sealed class ParquetListing(HubClient client, HubRepoId repo, string commit)
{
    public async Task<List<string>> FoldersAsync(string folder, CancellationToken cancel) =>
        [.. (await EntriesAsync(folder, cancel).ConfigureAwait(false)).Where(e => e.IsDirectory).Select(e => e.Path.Split('/')[^1]).Order(StringComparer.Ordinal)];

    public async Task<List<string>> ParquetFilesAsync(string folder, CancellationToken cancel) =>
        [.. (await EntriesAsync(folder, cancel).ConfigureAwait(false))
            .Where(e => !e.IsDirectory && e.Path.EndsWith(".parquet", StringComparison.Ordinal)).Select(e => e.Path).Order(StringComparer.Ordinal)];

    async Task<List<HubTreeEntry>> EntriesAsync(string folder, CancellationToken cancel)
    {
        if (!client.Options.Offline) return await client.ListFolderAsync(repo, commit, folder, cancel).ConfigureAwait(false);
        string root = new HubCache(client.Options.CacheDirectory, repo).SnapshotFolder(commit);
        string local = folder.Length == 0 ? root : Path.Combine(root, Path.Combine(folder.Split('/')));
        if (!Directory.Exists(local))
            throw new HubCacheMissException($"{repo}@{HubDatasets.ParquetRevision}: offline (HF_HUB_OFFLINE), and the cached snapshot {commit} has no folder " +
                $"\"{folder}\"; run once online", repo, HubDatasets.ParquetRevision, folder);
        return [.. Directory.EnumerateFileSystemEntries(local).Select(p => new HubTreeEntry
        {
            Type = Directory.Exists(p) ? "directory" : "file",
            Path = (folder.Length == 0 ? "" : folder + "/") + Path.GetFileName(p),
        })];
    }
}
