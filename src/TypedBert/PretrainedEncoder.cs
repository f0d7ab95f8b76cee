using TorchSharp;
using TypedBert.Hub;
using TypedBert.Modeling;
using TypedBert.Modeling.Bert;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert;

/// <summary>A pre-trained encoder with its tokenizer, loaded from an embedded model name or a Hugging Face model folder.</summary>
public sealed class PretrainedEncoder : IDisposable
{
    PretrainedEncoder(string directory, BertModel model, BertTokenizer tokenizer)
    {
        Directory = directory;
        Model = model;
        Tokenizer = tokenizer;
    }

    /// <summary>The Hugging Face-layout folder the encoder was read from.</summary>
    public string Directory { get; }

    /// <summary>The encoder, in evaluation mode.</summary>
    public BertModel Model { get; }

    /// <summary>The matching tokenizer.</summary>
    public BertTokenizer Tokenizer { get; }

    /// <summary>The encoder's configuration.</summary>
    public BertConfig Config => Model.Config;

    /// <summary>
    /// The folder for <paramref name="nameOrPath"/>: an existing folder as it is, an embedded model (see <see cref="EmbeddedModels"/>)
    /// imported into <see cref="ModelCache"/> on first use, or else a Hugging Face hub id (<c>org/name</c>, optionally <c>@revision</c>)
    /// downloaded by <see cref="HubModels"/> with <see cref="HubOptions.FromEnvironment"/>.
    /// </summary>
    public static string ResolveDirectory(string nameOrPath) =>
        ResolveLocal(nameOrPath, out var repo, out string revision) ?? FromHub(nameOrPath, () => HubModels.Download(repo, revision).Directory);

    /// <summary>
    /// <see cref="ResolveDirectory"/> with a download from the hub that <paramref name="cancel"/> stops (an interrupted download resumes
    /// on the next call); a folder or an embedded model resolves as there.
    /// </summary>
    public static async Task<string> ResolveDirectoryAsync(string nameOrPath, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        if (ResolveLocal(nameOrPath, out var repo, out string revision) is { } local) return local;
        var snapshot = await FromHubAsync(nameOrPath, HubModels.DownloadAsync(repo, revision, options: null, cancel)).ConfigureAwait(false);
        return snapshot.Directory;
    }

    /// <summary>A folder or an embedded model; else null with the hub reference to download, or an exception when it is not one.</summary>
    static string? ResolveLocal(string nameOrPath, out HubRepoId repo, out string revision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        repo = null!;
        revision = HubRepoId.DefaultRevision;
        if (System.IO.Directory.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        var embedded = EmbeddedModels.Find(nameOrPath);
        if (embedded is not null) return ModelCache.GetOrImport(embedded);
        if (!HubRepoId.TryParseReference(nameOrPath, HubRepoType.Model, out repo, out revision)) throw new DirectoryNotFoundException(NotLocal(nameOrPath));
        return null;
    }

    static string NotLocal(string nameOrPath) =>
        $"\"{nameOrPath}\" is neither a model folder nor an embedded model name (known: {string.Join(", ", EmbeddedModels.All.Select(m => m.Name))})";

    static string FromHub(string nameOrPath, Func<string> download)
    {
        try
        {
            return download();
        }
        catch (HubException e) when (IsMissingRepository(e))
        {
            throw NotOnHub(nameOrPath, e);
        }
    }

    static async Task<HubSnapshot> FromHubAsync(string nameOrPath, Task<HubSnapshot> download)
    {
        try
        {
            return await download.ConfigureAwait(false);
        }
        catch (HubException e) when (IsMissingRepository(e))
        {
            throw NotOnHub(nameOrPath, e);
        }
    }

    // The repository itself could not be had (unknown, unreachable, not cached offline): probably a typo of a local name.
    static bool IsMissingRepository(HubException e) => e.FileName == "config.json" && e is not HubChecksumMismatchException;

    static DirectoryNotFoundException NotOnHub(string nameOrPath, HubException e) =>
        new($"{NotLocal(nameOrPath)}, and the Hugging Face hub could not provide it: {e.Message}", e);

    /// <summary>Loads the encoder and tokenizer named by <paramref name="nameOrPath"/>.</summary>
    /// <param name="nameOrPath">An embedded model name such as <c>minilm-l6-uncased</c>, a folder with config.json, model.safetensors and vocab.txt,
    /// or a Hugging Face hub id such as <c>bert-base-uncased</c> or <c>org/name@revision</c> (see <see cref="ResolveDirectory"/>).</param>
    /// <param name="device">Where the weights go; CPU when null.</param>
    public static PretrainedEncoder Load(string nameOrPath, Device? device = null)
    {
        string directory = ResolveDirectory(nameOrPath);
        var config = ModelFiles.LoadBertConfig(directory);
        string weightsPath = ModelFiles.RequireSafetensors(directory);
        var tokenizer = ModelFiles.LoadTokenizer(directory, config);

        using var weights = SafeTensorsFile.Open(weightsPath);
        string prefix = StateDict.EncoderPrefix(weights);
        bool hasPooler = weights.Tensors.ContainsKey(prefix + "pooler.dense.weight");
        var model = new BertModel(config, hasPooler);
        try
        {
            StateDict.Load(model, weights, prefix);
            if (device is not null) model.to(device);
            model.eval();
            return new PretrainedEncoder(directory, model, tokenizer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Tokenizes <paramref name="texts"/> (padded to the longest) and runs the encoder without gradients.</summary>
    public EncoderOutput Encode(IReadOnlyList<string> texts, int? maxLength = null)
    {
        var batch = Tokenizer.EncodeBatch(texts, maxLength: maxLength);
        using var inputs = batch.ToTensors(Model.parameters().First().device);
        using var inference = inference_mode();
        return Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
