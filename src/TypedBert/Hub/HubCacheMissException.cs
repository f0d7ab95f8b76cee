namespace TypedBert.Hub;

/// <summary>Offline mode (<c>HF_HUB_OFFLINE=1</c>) and the cache lacks the revision or a file of it.</summary>
public sealed class HubCacheMissException(string message, HubRepoId repo, string revision, string? fileName = null)
    : HubException(message, repo, revision, fileName);
