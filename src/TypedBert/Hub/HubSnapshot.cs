namespace TypedBert.Hub;

/// <summary>A model downloaded from the hub: the cache folder <c>snapshots/{commit}</c> that holds its files.</summary>
/// <param name="Repo">The repository.</param>
/// <param name="Revision">The branch, tag or commit asked for.</param>
/// <param name="Commit">The commit it resolved to.</param>
/// <param name="Directory">The snapshot folder, in the Hugging Face model-folder layout that <see cref="Pretrained.PretrainedEncoder"/> reads.</param>
public sealed record HubSnapshot(HubRepoId Repo, string Revision, string Commit, string Directory);
