namespace TypedBert.Hub;

/// <summary>What the hub says about a file before it is downloaded (the headers of <c>HEAD /{id}/resolve/{revision}/{path}</c>).</summary>
/// <param name="Commit">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="Etag">The blob's name in the cache: the sha256 of an LFS file (<c>X-Linked-Etag</c>), else the git object id (<c>ETag</c>).</param>
/// <param name="Size">Bytes (<c>X-Linked-Size</c> or <c>Content-Length</c>), or null.</param>
/// <param name="IsLfs">Whether the file is stored in LFS, so that <paramref name="Etag"/> is its sha256.</param>
/// <param name="DownloadUrl">Where the bytes are (the redirect target of an LFS file, else the resolve URL).</param>
internal sealed record HubFileMetadata(string Commit, string Etag, long? Size, bool IsLfs, Uri DownloadUrl);
