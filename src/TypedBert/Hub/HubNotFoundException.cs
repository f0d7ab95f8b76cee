namespace TypedBert.Hub;

/// <summary>The hub has no such repository, revision or file (or hides a private or gated repository from this token).</summary>
public sealed class HubNotFoundException(string message, HubRepoId repo, string revision, string? fileName = null, Exception? inner = null)
    : HubException(message, repo, revision, fileName, inner);
