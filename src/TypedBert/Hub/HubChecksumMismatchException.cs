namespace TypedBert.Hub;

/// <summary>A downloaded file's sha256 is not the one the hub announced; the partial download has been deleted.</summary>
public sealed class HubChecksumMismatchException : HubException
{
    /// <summary>Creates the exception.</summary>
    public HubChecksumMismatchException(HubRepoId repo, string revision, string fileName, string expected, string actual)
        : base($"{repo}@{revision}: {fileName} is corrupt: its sha256 is {actual}, but the hub announced {expected}. " +
               "The download was deleted and nothing was added to the cache; try again, and report it to the repository owner if it persists",
               repo, revision, fileName)
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The sha256 the hub announced (the LFS object id).</summary>
    public string Expected { get; }

    /// <summary>The sha256 of the bytes received.</summary>
    public string Actual { get; }
}
