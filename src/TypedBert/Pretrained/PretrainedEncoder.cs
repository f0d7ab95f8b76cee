using TorchSharp;
using TypedBert.Hub;
using TypedBert.Modeling;
using TypedBert.Modeling.Bert;
using TypedBert.Serialization;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Pretrained;

/// <summary>
/// A pre-trained encoder of any supported family (<see cref="ModelFamily"/>: chosen by <c>model_type</c> in <c>config.json</c>)
/// with its tokenizer, loaded from an embedded model name, a Hugging Face model folder or a hub id.
/// </summary>
public sealed class PretrainedEncoder : IDisposable
{
    PretrainedEncoder(string directory, ModelFamily family, ITextEncoder encoder, ITextTokenizer tokenizer)
    {
        Directory = directory;
        Family = family;
        Encoder = encoder;
        TextTokenizer = tokenizer;
        Config = new BertConfig(encoder.Config);
    }

    /// <summary>The Hugging Face-layout folder the encoder was read from.</summary>
    public string Directory { get; }

    /// <summary>The architecture.</summary>
    public ModelFamily Family { get; }

    /// <summary>The encoder (a TorchSharp module: <see cref="BertModel"/>, <c>DistilBertModel</c>, ...), in evaluation mode.</summary>
    public ITextEncoder Encoder { get; }

    /// <summary>The matching tokenizer, of the family's kind.</summary>
    public ITextTokenizer TextTokenizer { get; }

    /// <summary>The encoder as a <see cref="BertModel"/>, for BERT and RoBERTa, whose encoder it is.</summary>
    /// <exception cref="NotSupportedException">The family has another encoder; use <see cref="Encoder"/>.</exception>
    public BertModel Model => Encoder as BertModel
        ?? throw new NotSupportedException($"a {Family.ModelType} encoder is a {Encoder.GetType().Name}, not a BertModel; use Encoder");

    /// <summary>The tokenizer as a WordPiece <see cref="BertTokenizer"/>, for the families that use one (BERT, DistilBERT).</summary>
    /// <exception cref="NotSupportedException">The family has another tokenizer; use <see cref="TextTokenizer"/>.</exception>
    public BertTokenizer Tokenizer => TextTokenizer as BertTokenizer
        ?? throw new NotSupportedException($"a {Family.ModelType} tokenizer is a {TextTokenizer.GetType().Name}, not a BertTokenizer; use TextTokenizer");

    /// <summary>The encoder's configuration (typed by its former name, <see cref="BertConfig"/>, so existing code keeps compiling).</summary>
    public BertConfig Config { get; }

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
        // The first step of loading a model, which seeds and fills tensors next (an embedded model is imported into them here):
        // a missing libtorch backend is named now, with the package to add.
        TorchBackend.EnsureLoaded();
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

    /// <summary>Loads the encoder and tokenizer named by <paramref name="nameOrPath"/>, of whatever family its config.json names.</summary>
    /// <param name="nameOrPath">An embedded model name such as <c>minilm-l6-uncased</c>, a folder with config.json, model.safetensors and the
    /// tokenizer's files, or a Hugging Face hub id such as <c>bert-base-uncased</c> or <c>org/name@revision</c> (see <see cref="ResolveDirectory"/>).</param>
    /// <param name="device">Where the weights go; CPU when null.</param>
    public static PretrainedEncoder Load(string nameOrPath, Device? device = null)
    {
        string directory = ResolveDirectory(nameOrPath);
        var config = ModelFiles.LoadEncoderConfig(directory);
        var family = ModelFamily.Of(config, Path.Combine(directory, "config.json"));
        string weightsPath = ModelFiles.RequireSafetensors(directory);
        var tokenizer = ModelFiles.LoadTextTokenizer(directory, config);

        using var weights = SafeTensorsFile.Open(weightsPath);
        string prefix = StateDict.EncoderPrefix(weights, family.EncoderPrefix);
        // BERT's pooler is pooler.dense, ALBERT's a bare Linear named pooler: any pooler tensor asks the family for one.
        bool hasPooler = weights.Tensors.Keys.Any(k => k.StartsWith(prefix + "pooler.", StringComparison.Ordinal));
        var encoder = family.CreateEncoder(config, hasPooler);
        var module = (nn.Module)encoder; // every family's encoder is a TorchSharp module
        try
        {
            StateDict.Load(module, weights, prefix);
            if (device is not null) module.to(device);
            module.eval();
            return new PretrainedEncoder(directory, family, encoder, tokenizer);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>Tokenizes <paramref name="texts"/> (padded to the longest) and runs the encoder without gradients.</summary>
    public EncoderOutput Encode(IReadOnlyList<string> texts, int? maxLength = null)
    {
        var batch = TextTokenizer.EncodeBatch(texts, maxLength: maxLength);
        using var inputs = batch.ToTensors(((nn.Module)Encoder).parameters().First().device);
        using var inference = inference_mode();
        return Encoder.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
    }

    /// <inheritdoc />
    public void Dispose() => ((nn.Module)Encoder).Dispose();
}
