using System.Security.Cryptography;
using System.Text.Json;
using TypedBert.Serialization;
using TypedBert.Tokenization;

namespace TypedBert.Pretrained;

/// <summary>
/// Where imported models live on disk, in the Hugging Face layout (<c>config.json</c>, <c>model.safetensors</c>, <c>vocab.txt</c>,
/// <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c>), so the second start skips the import.
/// </summary>
public static class ModelCache
{
    const string ImporterVersion = "1";
    static readonly object ImportLock = new();

    /// <summary>
    /// <c>$TYPEDBERT_CACHE</c>, else <c>$XDG_CACHE_HOME/typedbert</c>, else <c>~/.cache/typedbert</c>.
    /// </summary>
    public static string Root
    {
        get
        {
            string? explicitRoot = Environment.GetEnvironmentVariable("TYPEDBERT_CACHE");
            if (!string.IsNullOrEmpty(explicitRoot)) return explicitRoot;
            string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            string baseFolder = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseFolder, "typedbert");
        }
    }

    /// <summary>The folder an embedded model is (or will be) imported to.</summary>
    public static string FolderOf(EmbeddedModel model) =>
        Path.Combine(Root, "models", model.Name, $"{model.PackageVersion}-import{ImporterVersion}");

    /// <summary>Whether <paramref name="model"/> is already imported.</summary>
    public static bool IsImported(EmbeddedModel model) => File.Exists(Path.Combine(FolderOf(model), "model.safetensors"));

    /// <summary>
    /// The model's folder, importing it first when needed. The import is built in a temporary folder and renamed into place,
    /// so a crash never leaves a half-written model where the cache expects a whole one.
    /// </summary>
    public static string GetOrImport(EmbeddedModel model)
    {
        string folder = FolderOf(model);
        lock (ImportLock)
        {
            if (IsImported(model)) return folder;
            string staging = folder + $".partial-{Guid.NewGuid():N}";
            try
            {
                Import(model, staging);
                Directory.CreateDirectory(Path.GetDirectoryName(folder)!);
                try { Directory.Move(staging, folder); }
                catch (IOException) when (IsImported(model)) { } // another process finished first; its copy is as good
            }
            finally
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            return folder;
        }
    }

    static void Import(EmbeddedModel model, string folder)
    {
        Directory.CreateDirectory(folder);
        string source = $"{model.PackageId} {model.PackageVersion} ({model.OnnxResource})";
        byte[] onnx = model.ReadResource(model.OnnxResource);
        var stateDict = OnnxBertImporter.ReadStateDict(onnx, source);
        try
        {
            var config = OnnxBertImporter.InferConfig(stateDict, model.Template, source) with
            {
                Extra = new Dictionary<string, JsonElement>
                {
                    ["architectures"] = JsonSerializer.SerializeToElement(new[] { "BertModel" }),
                    ["_name_or_path"] = JsonSerializer.SerializeToElement(model.Name),
                },
            };
            AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), config.ToJson());
            SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"),
                stateDict.Where(p => p.Key != "embeddings.position_ids").Select(p => (p.Key, p.Value)),
                new Dictionary<string, string> { ["source"] = source, ["source_sha256"] = Convert.ToHexStringLower(SHA256.HashData(onnx)) });

            // The packaged vocab.txt has CRLF line ends; Hugging Face tools expect one token per LF-terminated line.
            string vocab = System.Text.Encoding.UTF8.GetString(model.ReadResource(model.VocabResource)).Replace("\r\n", "\n", StringComparison.Ordinal);
            AtomicFile.WriteAllText(Path.Combine(folder, "vocab.txt"), vocab.EndsWith('\n') ? vocab : vocab + "\n");
            var settings = new TokenizerSettings { DoLowerCase = model.DoLowerCase, ModelMaxLength = config.MaxPositionEmbeddings };
            AtomicFile.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), settings.ToJson());
            AtomicFile.WriteAllText(Path.Combine(folder, "special_tokens_map.json"), settings.SpecialTokensMapJson());
        }
        finally
        {
            foreach (var tensor in stateDict.Values) tensor.Dispose();
        }
    }
}
