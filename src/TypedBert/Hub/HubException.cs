namespace TypedBert.Hub;

/// <summary>
/// A hub download failed: the message names the repository, revision and file and says what to do. It never holds the access token.
/// </summary>
public class HubException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubException(string message, HubRepoId repo, string revision, string? fileName = null, Exception? inner = null)
        : base(message, inner)
    {
        Repo = repo;
        Revision = revision;
        FileName = fileName;
    }

    /// <summary>The repository.</summary>
    public HubRepoId Repo { get; }

    /// <summary>The branch, tag or commit asked for.</summary>
    public string Revision { get; }

    /// <summary>The file's path in the repository, when one file was concerned.</summary>
    public string? FileName { get; }
}
