namespace TypedBert.Hub;

/// <summary>
/// Downloads a BERT model from the hub (<c>bert-base-uncased</c>, <c>org/name</c>, <c>org/name@revision</c>): its config.json, its
/// safetensors weights and its tokenizer files, into the cache Python's <c>huggingface_hub</c> shares.
/// </summary>
public static class HubModels
{
    /// <summary>Tokenizer files fetched when the repository has them; TypedBert reads vocab.txt, Python tools the others.</summary>
    public static IReadOnlyList<string> OptionalTokenizerFiles { get; } = ["tokenizer_config.json", "special_tokens_map.json", "tokenizer.json"];

    /// <summary>The weights TypedBert reads.</summary>
    public const string SafetensorsWeights = "model.safetensors";

    /// <summary>The index of a sharded safetensors checkpoint.</summary>
    public const string ShardedSafetensorsIndex = "model.safetensors.index.json";

    /// <summary>A pickle checkpoint, refused unless <see cref="HubOptions.AllowPickleWeights"/>.</summary>
    public const string PickleWeights = "pytorch_model.bin";

    /// <summary>Downloads <paramref name="reference"/> (<c>id</c> or <c>id@revision</c>).</summary>
    /// <exception cref="ArgumentException">Not a hub repository id.</exception>
    public static Task<HubSnapshot> DownloadAsync(string reference, HubOptions? options = null, CancellationToken cancel = default) =>
        HubRepoId.TryParseReference(reference, HubRepoType.Model, out var repo, out string revision)
            ? DownloadAsync(repo, revision, options, cancel)
            : throw new ArgumentException($"\"{reference}\" is not a hub model id (\"name\", \"org/name\", optionally \"@revision\")", nameof(reference));

    /// <summary>Downloads the model, or finds it in the cache.</summary>
    /// <exception cref="HubPickleWeightsException">The repository only has <c>pytorch_model.bin</c> and pickle weights were not allowed.</exception>
    /// <exception cref="HubNotFoundException">The repository, revision, config.json, the tokenizer files of its architecture or any weights are missing.</exception>
    /// <exception cref="HubCacheMissException">Offline and a file is not in the cache.</exception>
    /// <exception cref="HubChecksumMismatchException">A download was corrupt (it was deleted).</exception>
    /// <exception cref="NotSupportedException">The weights are a sharded safetensors checkpoint, which TypedBert cannot load yet.</exception>
    public static async Task<HubSnapshot> DownloadAsync(HubRepoId repo, string revision = HubRepoId.DefaultRevision, HubOptions? options = null,
        CancellationToken cancel = default)
    {
        var client = new HubClient(options);
        string config = await client.DownloadFileAsync(repo, "config.json", revision, cancel).ConfigureAwait(false);
        string folder = Path.GetDirectoryName(config)!;
        // Every other file comes from the commit config.json came from, even if the branch moves meanwhile.
        string commit = Path.GetFileName(folder);

        if (await client.TryDownloadFileAsync(repo, SafetensorsWeights, commit, cancel).ConfigureAwait(false) is null)
        {
            if (await client.ExistsAsync(repo, ShardedSafetensorsIndex, commit, cancel).ConfigureAwait(false))
                throw new NotSupportedException($"{repo}@{revision}: the weights are sharded ({ShardedSafetensorsIndex}); TypedBert reads a single " +
                    $"{SafetensorsWeights} so far. Merge the shards into one file with Python (safetensors) and load that folder");
            if (!await client.ExistsAsync(repo, PickleWeights, commit, cancel).ConfigureAwait(false))
                throw new HubNotFoundException($"{repo}@{revision} has no weights: none of {SafetensorsWeights}, {ShardedSafetensorsIndex}, {PickleWeights}",
                    repo, revision, SafetensorsWeights);
            if (!client.Options.AllowPickleWeights) throw new HubPickleWeightsException(repo, revision, PickleWeights);
            await client.DownloadFileAsync(repo, PickleWeights, commit, cancel).ConfigureAwait(false);
        }
        await DownloadTokenizerAsync(client, repo, revision, commit, config, cancel).ConfigureAwait(false);
        // A model found whole in the cache is used as it is (a cache Python's snapshot_download filled has no record of files the
        // repository lacks, and asking would make every load touch the network); so is every model offline.
        if (!client.Options.Offline && client.RequestsSent > 0)
            foreach (string file in OptionalTokenizerFiles)
                await client.TryDownloadFileAsync(repo, file, commit, cancel).ConfigureAwait(false);
        return new HubSnapshot(repo, revision, commit, folder);
    }

    /// <summary>
    /// The architecture's tokenizer files or, where the repository lacks them, <c>tokenizer.json</c> alone (what transformers 5's
    /// <c>save_pretrained</c> writes; TypedBert reads its model).
    /// </summary>
    static async Task DownloadTokenizerAsync(HubClient client, HubRepoId repo, string revision, string commit, string config, CancellationToken cancel)
    {
        var missing = new List<string>();
        HubCacheMissException? cacheMiss = null;
        foreach (string file in TokenizerFilesFor(config))
        {
            try
            {
                if (await client.TryDownloadFileAsync(repo, file, commit, cancel).ConfigureAwait(false) is null) missing.Add(file);
            }
            catch (HubCacheMissException e)
            {
                missing.Add(file);
                cacheMiss ??= e;
            }
        }
        if (missing.Count == 0) return;
        string? tokenizerJson;
        try
        {
            tokenizerJson = await client.TryDownloadFileAsync(repo, Tokenization.TokenizerJson.FileName, commit, cancel).ConfigureAwait(false);
        }
        catch (HubCacheMissException) when (cacheMiss is not null)
        {
            tokenizerJson = null;  // offline with neither in the cache: report the architecture's own file
        }
        if (tokenizerJson is not null) return;
        if (cacheMiss is not null) throw cacheMiss;
        throw new HubNotFoundException(
            $"{repo}@{revision} has no tokenizer: neither {string.Join(" and ", missing)} nor {Tokenization.TokenizerJson.FileName}", repo, revision, missing[0]);
    }

    /// <summary>
    /// The tokenizer files the architecture named by <c>model_type</c> in <paramref name="configPath"/> needs (vocab.txt for the BERT
    /// family, vocab.json and merges.txt for RoBERTa and Longformer, spiece.model for ALBERT); vocab.txt for an unknown type, which
    /// loading then refuses with its own message.
    /// </summary>
    static IReadOnlyList<string> TokenizerFilesFor(string configPath)
    {
        string? modelType = null;
        try
        {
            using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(configPath));
            if (config.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && config.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String)
                modelType = type.GetString();
        }
        catch (System.Text.Json.JsonException)
        {
            // Loading the folder reports the broken config.json with its path; the download need not.
        }
        return (Modeling.ModelFamily.Find(modelType) ?? Modeling.ModelFamily.Bert).TokenizerFiles;
    }

    /// <summary>The synchronous form of <see cref="DownloadAsync(HubRepoId, string, HubOptions?, CancellationToken)"/>.</summary>
    public static HubSnapshot Download(HubRepoId repo, string revision = HubRepoId.DefaultRevision, HubOptions? options = null) =>
        Task.Run(() => DownloadAsync(repo, revision, options)).GetAwaiter().GetResult();
}
