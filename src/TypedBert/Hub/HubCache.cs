using System.Text.RegularExpressions;

namespace TypedBert.Hub;

/// <summary>
/// The cache layout of Python's <c>huggingface_hub</c>, so that files either side downloaded serve the other:
/// <c>{root}/models--org--name/blobs/{etag}</c> holds each file once, <c>snapshots/{commit}/{path}</c> is a relative symbolic link to its
/// blob, <c>refs/{revision}</c> holds the commit a branch or tag pointed to, and <c>.no_exist/{commit}/{path}</c> records a file the
/// hub said is absent. Downloads lock <c>{root}/.locks/models--org--name/{etag}.lock</c>, the lock file Python uses.
/// </summary>
internal sealed partial class HubCache(string root, HubRepoId repo)
{
    public string RepoFolder { get; } = Path.Combine(root, repo.CacheFolderName);

    public string BlobPath(string etag) => Path.Combine(RepoFolder, "blobs", etag);

    public string LockPath(string etag) => Path.Combine(root, ".locks", repo.CacheFolderName, etag + ".lock");

    public string SnapshotFolder(string commit) => Path.Combine(RepoFolder, "snapshots", commit);

    public string SnapshotPath(string commit, string fileName) => Path.Combine(SnapshotFolder(commit), LocalPath(fileName));

    public string NoExistPath(string commit, string fileName) => Path.Combine(RepoFolder, ".no_exist", commit, LocalPath(fileName));

    string RefPath(string revision) => Path.Combine(RepoFolder, "refs", LocalPath(revision));

    /// <summary>Whether <paramref name="revision"/> is a full commit hash (then it needs no ref).</summary>
    public static bool IsCommitHash(string revision) => CommitHash().IsMatch(revision);

    /// <summary>The commit <paramref name="revision"/> points to in the cache, or null when the cache has never seen it.</summary>
    public string? TryResolveCommit(string revision)
    {
        if (IsCommitHash(revision)) return revision;
        string path = RefPath(revision);
        if (!File.Exists(path)) return null;
        string commit = File.ReadAllText(path).Trim();
        return IsCommitHash(commit) ? commit : null;
    }

    /// <summary>Records that <paramref name="revision"/> points to <paramref name="commit"/>; a commit hash needs no ref.</summary>
    public void WriteRef(string revision, string commit)
    {
        if (revision == commit) return;
        string path = RefPath(revision);
        if (File.Exists(path) && File.ReadAllText(path).Trim() == commit) return;
        // Python writes the bare hash with no newline; so does this.
        Serialization.AtomicFile.WriteAllText(path, commit);
    }

    /// <summary>Records that the hub has no <paramref name="fileName"/> at <paramref name="commit"/> (an empty marker file, as Python writes).</summary>
    public void MarkAbsent(string commit, string fileName)
    {
        string path = NoExistPath(commit, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
    }

    /// <summary>
    /// Points <c>snapshots/{commit}/{fileName}</c> at the blob with a relative symbolic link, swapped in by a rename; where links cannot
    /// be made (Windows without developer mode) the blob is copied, as Python does.
    /// </summary>
    public string LinkSnapshot(string commit, string fileName, string blobPath)
    {
        string target = SnapshotPath(commit, fileName);
        string folder = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            try { File.CreateSymbolicLink(temporary, Path.GetRelativePath(folder, blobPath)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { File.Copy(blobPath, temporary); }
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary); // nothing there after the rename; a leftover after a failure
        }
        return target;
    }

    /// <summary>The cache path of a repository path: its '/' separators become the platform's.</summary>
    static string LocalPath(string repoPath)
    {
        var parts = repoPath.Split('/');
        if (parts.Any(p => p is "" or "." or ".."))
            throw new ArgumentException($"\"{repoPath}\" is not a file path inside a repository (empty, '.' or '..' parts)", nameof(repoPath));
        return Path.Combine(parts);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitHash();
}
