using System.Text.Json;

namespace TypedBert.Hub;

/// <summary>
/// Downloads files from the Hugging Face hub into the cache Python's <c>huggingface_hub</c> uses, and finds them there again:
/// <c>hf_hub_download</c> in C#. A file whose revision the cache already resolves is served without a request
/// (unless <see cref="HubOptions.CheckForUpdates"/>); offline, only the cache is read.
/// </summary>
internal sealed class HubClient
{
    readonly HubHttp http;

    /// <summary>A client with <paramref name="options"/>, or with <see cref="HubOptions.FromEnvironment"/> when null.</summary>
    public HubClient(HubOptions? options = null)
    {
        Options = options ?? HubOptions.FromEnvironment();
        http = new HubHttp(Options);
    }

    /// <summary>The settings in use.</summary>
    public HubOptions Options { get; }

    /// <summary>HTTP requests this client has sent (redirects count one each).</summary>
    public int RequestsSent => http.RequestsSent;

    /// <summary>The local path of <paramref name="fileName"/> (<c>snapshots/{commit}/{fileName}</c>), downloading it when needed.</summary>
    /// <exception cref="HubNotFoundException">The repository, revision or file does not exist.</exception>
    /// <exception cref="HubCacheMissException">Offline and not in the cache.</exception>
    /// <exception cref="HubChecksumMismatchException">The bytes received are not the ones the hub announced.</exception>
    /// <exception cref="HubException">Another failure (network, permission); the message says which.</exception>
    public async Task<string> DownloadFileAsync(HubRepoId repo, string fileName, string revision = HubRepoId.DefaultRevision, CancellationToken cancel = default) =>
        await TryDownloadFileAsync(repo, fileName, revision, cancel).ConfigureAwait(false)
            ?? throw new HubNotFoundException($"{repo}@{revision} has no file {fileName}", repo, revision, fileName);

    /// <summary>Like <see cref="DownloadFileAsync"/>, but null when the repository lacks the file (an optional file).</summary>
    public async Task<string?> TryDownloadFileAsync(HubRepoId repo, string fileName, string revision = HubRepoId.DefaultRevision, CancellationToken cancel = default)
    {
        var cache = new HubCache(Options.CacheDirectory, repo);
        var (known, cached, commit) = LookUpCache(cache, fileName, revision);
        if (known) return cached;
        if (Options.Offline) throw CacheMiss(cache, repo, fileName, revision, commit);

        var (metadata, absentAt) = await http.GetMetadataAsync(repo, revision, fileName, cancel).ConfigureAwait(false);
        if (metadata is null)
        {
            RecordAbsent(cache, revision, fileName, absentAt);
            return null;
        }
        cache.WriteRef(revision, metadata.Commit);
        string snapshot = cache.SnapshotPath(metadata.Commit, fileName);
        if (File.Exists(snapshot)) return snapshot;

        string blob = cache.BlobPath(metadata.Etag);
        if (!File.Exists(blob))
        {
            using (await HubFileLock.AcquireAsync(cache.LockPath(metadata.Etag), cancel).ConfigureAwait(false))
                if (!File.Exists(blob)) await HubBlobDownload.RunAsync(http, repo, revision, fileName, metadata, blob, cancel).ConfigureAwait(false);
        }
        return cache.LinkSnapshot(metadata.Commit, fileName, blob);
    }

    /// <summary>Whether the repository has <paramref name="fileName"/>, asked without downloading it (offline: whether the cache has it).</summary>
    internal async Task<bool> ExistsAsync(HubRepoId repo, string fileName, string revision, CancellationToken cancel)
    {
        var cache = new HubCache(Options.CacheDirectory, repo);
        var (known, cached, _) = LookUpCache(cache, fileName, revision);
        if (known) return cached is not null;
        if (Options.Offline) return false;
        var (metadata, absentAt) = await http.GetMetadataAsync(repo, revision, fileName, cancel).ConfigureAwait(false);
        if (metadata is null) RecordAbsent(cache, revision, fileName, absentAt);
        else cache.WriteRef(revision, metadata.Commit);
        return metadata is not null;
    }

    /// <summary>
    /// The commit <paramref name="revision"/> points to: <c>GET /api/{models|datasets}/{id}/revision/{revision}</c>, recorded in
    /// <c>refs/</c>; offline, from <c>refs/</c>.
    /// </summary>
    internal async Task<string> ResolveCommitAsync(HubRepoId repo, string revision, CancellationToken cancel)
    {
        var cache = new HubCache(Options.CacheDirectory, repo);
        if (HubCache.IsCommitHash(revision)) return revision;
        if (Options.Offline)
            return cache.TryResolveCommit(revision) ?? throw new HubCacheMissException(
                $"{repo}@{revision}: offline (HF_HUB_OFFLINE), and the cache {cache.RepoFolder} has never seen revision \"{revision}\"; run once online",
                repo, revision);
        var (body, _) = await http.GetJsonAsync(http.ApiUrl(repo, "revision/" + Uri.EscapeDataString(revision)), repo, revision, cancel).ConfigureAwait(false);
        string? sha = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("sha", out var value)) sha = value.GetString();
        }
        catch (JsonException) { }
        if (sha is null || !HubCache.IsCommitHash(sha))
            throw new HubException($"{repo}@{revision}: the hub's revision API answered without a commit hash (\"sha\")", repo, revision);
        cache.WriteRef(revision, sha);
        return sha;
    }

    /// <summary>
    /// The entries under <paramref name="folder"/> at <paramref name="commit"/>: <c>GET /api/{models|datasets}/{id}/tree/{commit}/{folder}</c>,
    /// following the <c>Link: rel="next"</c> pages.
    /// </summary>
    internal async Task<List<HubTreeEntry>> ListFolderAsync(HubRepoId repo, string commit, string folder, CancellationToken cancel)
    {
        var entries = new List<HubTreeEntry>();
        string path = folder.Length == 0 ? "" : "/" + HubHttp.EscapePath(folder);
        Uri? next = http.ApiUrl(repo, $"tree/{Uri.EscapeDataString(commit)}{path}");
        while (next is not null)
        {
            (string body, next) = await http.GetJsonAsync(next, repo, commit, cancel).ConfigureAwait(false);
            try
            {
                entries.AddRange(JsonSerializer.Deserialize<List<HubTreeEntry>>(body) ?? []);
            }
            catch (JsonException e)
            {
                throw new HubException($"{repo}@{commit}: the hub's tree API answered with something other than a list of files ({e.Message})", repo, commit);
            }
        }
        return entries;
    }

    /// <summary>
    /// What the cache alone says, when it may be trusted: Known with the path, or Known with null for a file the hub said is absent.
    /// Also the commit the cache resolves the revision to.
    /// </summary>
    (bool Known, string? Path, string? Commit) LookUpCache(HubCache cache, string fileName, string revision)
    {
        string? commit = cache.TryResolveCommit(revision);
        if (commit is null || !(Options.Offline || !Options.CheckForUpdates || HubCache.IsCommitHash(revision))) return (false, null, commit);
        string cached = cache.SnapshotPath(commit, fileName);
        if (File.Exists(cached)) return (true, cached, commit);
        if (File.Exists(cache.NoExistPath(commit, fileName))) return (true, null, commit);
        return (false, null, commit);
    }

    static HubCacheMissException CacheMiss(HubCache cache, HubRepoId repo, string fileName, string revision, string? commit) => new(commit is null
        ? $"{repo}@{revision}: offline (HF_HUB_OFFLINE), and the cache {cache.RepoFolder} has never seen revision \"{revision}\", so {fileName} " +
          "cannot be found. Run once online, or put the files there with Python's huggingface_hub (the cache is shared)"
        : $"{repo}@{revision}: offline (HF_HUB_OFFLINE), and the cached snapshot {commit} has no {fileName}. Run once online to fetch it",
        repo, revision, fileName);

    static void RecordAbsent(HubCache cache, string revision, string fileName, string? commit)
    {
        if (commit is null) return;
        cache.WriteRef(revision, commit);
        cache.MarkAbsent(commit, fileName);
    }
}
