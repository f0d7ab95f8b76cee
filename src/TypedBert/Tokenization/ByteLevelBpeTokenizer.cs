using System.Text.Json;
using Microsoft.ML.Tokenizers;
using TypedBert.Serialization;

namespace TypedBert.Tokenization;

/// <summary>
/// RoBERTa's and Longformer's tokenizer: GPT-2 byte-level BPE over <c>vocab.json</c> and <c>merges.txt</c> (Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/> in byte-level mode, words split with GPT-2's pattern), special tokens written in a text kept as their ids,
/// and RoBERTa's layout <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>. Like Hugging Face, no space is added before the text
/// unless <c>add_prefix_space</c> is true in <c>tokenizer_config.json</c>. Safe to use from many threads.
/// </summary>
public sealed partial class ByteLevelBpeTokenizer : ITextTokenizer
{
    /// <summary>GPT-2's word pattern (its <c>encoder.py</c>), which Hugging Face's ByteLevel pre-tokenizer also uses.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial System.Text.RegularExpressions.Regex Gpt2Words();

    readonly BpeTokenizer bpe;
    readonly SpecialTokenSplitter specialTokens;
    readonly SpecialTokenLayout layout;
    readonly byte[] vocabJson, mergesTxt;
    readonly Dictionary<string, string> specialTokenNames;
    readonly string tokenizerClass;

    ByteLevelBpeTokenizer(BpeTokenizer bpe, byte[] vocabJson, byte[] mergesTxt, Dictionary<string, int> vocabulary,
        Dictionary<string, string> specialTokenNames, bool addPrefixSpace, int modelMaxLength, string tokenizerClass, string source)
    {
        this.bpe = bpe;
        this.vocabJson = vocabJson;
        this.mergesTxt = mergesTxt;
        this.specialTokenNames = specialTokenNames;
        this.tokenizerClass = tokenizerClass;
        AddPrefixSpace = addPrefixSpace;
        ModelMaxLength = modelMaxLength;
        VocabularySize = vocabulary.Count;
        int Require(string role) => vocabulary.TryGetValue(specialTokenNames[role], out int id)
            ? id : throw new InvalidDataException($"{source}: {role} \"{specialTokenNames[role]}\" is not in vocab.json");
        ClsTokenId = Require("cls_token");
        SepTokenId = Require("sep_token");
        PadTokenId = Require("pad_token");
        specialTokens = new([.. specialTokenNames.Values.Distinct().Where(vocabulary.ContainsKey).Select(t => (t, vocabulary[t]))]);
        layout = SpecialTokenLayout.Roberta(ClsTokenId, SepTokenId);
    }

    /// <summary>Whether a space is put before the text, so that its first word is tokenized as a word inside a sentence.</summary>
    public bool AddPrefixSpace { get; }

    /// <summary>The contents of <c>vocab.json</c>.</summary>
    internal byte[] VocabJson => vocabJson;

    /// <summary>The contents of <c>merges.txt</c>.</summary>
    internal byte[] MergesTxt => mergesTxt;

    /// <summary>The special tokens by role (<c>cls_token</c>, <c>sep_token</c>, ...), as <c>special_tokens_map.json</c> lists them.</summary>
    internal IReadOnlyDictionary<string, string> SpecialTokenNames => specialTokenNames;

    /// <inheritdoc />
    public int VocabularySize { get; }
    /// <inheritdoc />
    public int ClsTokenId { get; }
    /// <inheritdoc />
    public int SepTokenId { get; }
    /// <inheritdoc />
    public int PadTokenId { get; }
    /// <inheritdoc />
    public int ModelMaxLength { get; }

    /// <summary>
    /// Reads <c>vocab.json</c> and <c>merges.txt</c> (or, where a folder lacks both, the BPE model of <c>tokenizer.json</c>, all that
    /// transformers 5 saves) and, when present, <c>tokenizer_config.json</c> from a model folder.
    /// </summary>
    /// <param name="directory">A Hugging Face model folder.</param>
    /// <param name="maxLength">The longest input the model takes, the upper bound of model_max_length.</param>
    /// <param name="tokenizerClass">What <see cref="Save"/> writes as tokenizer_class (<c>RobertaTokenizer</c>, <c>LongformerTokenizer</c>).</param>
    public static ByteLevelBpeTokenizer FromDirectory(string directory, int maxLength = 512, string tokenizerClass = "RobertaTokenizer")
    {
        string vocabPath = Path.Combine(directory, "vocab.json"), mergesPath = Path.Combine(directory, "merges.txt");
        byte[] vocabJson, mergesTxt;
        if (!File.Exists(vocabPath) && !File.Exists(mergesPath) && TokenizerJson.Find(directory) is { } json)
        {
            (vocabJson, mergesTxt) = TokenizerJson.ByteLevelBpeFiles(json);
            vocabPath = mergesPath = json;
        }
        else
        {
            foreach (var path in new[] { vocabPath, mergesPath })
                if (!File.Exists(path)) throw new FileNotFoundException($"{path}: byte-level BPE tokenizer file not found", path);
            (vocabJson, mergesTxt) = (File.ReadAllBytes(vocabPath), File.ReadAllBytes(mergesPath));
        }
        var settings = TokenizerConfigFile.Load(Path.Combine(directory, "tokenizer_config.json"));
        var names = new Dictionary<string, string>
        {
            ["bos_token"] = settings.Token("bos_token") ?? "<s>", ["eos_token"] = settings.Token("eos_token") ?? "</s>",
            ["sep_token"] = settings.Token("sep_token") ?? "</s>", ["cls_token"] = settings.Token("cls_token") ?? "<s>",
            ["unk_token"] = settings.Token("unk_token") ?? "<unk>", ["pad_token"] = settings.Token("pad_token") ?? "<pad>",
            ["mask_token"] = settings.Token("mask_token") ?? "<mask>",
        };
        Dictionary<string, int> vocabulary;
        try { vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(vocabJson) ?? throw new InvalidDataException($"{vocabPath}: empty (null)"); }
        catch (JsonException e) { throw new InvalidDataException($"{vocabPath}: not a token-to-id JSON object ({e.Message})", e); }
        bool addPrefixSpace = settings.Bool("add_prefix_space") ?? false;
        BpeTokenizer bpe;
        try
        {
            var merges = System.Text.Encoding.UTF8.GetString(mergesTxt).Split('\n')
                .Select(line => line.TrimEnd('\r')).Where(line => line.Length > 0 && !line.StartsWith("#version", StringComparison.Ordinal));
            bpe = BpeTokenizer.Create(new BpeOptions(vocabulary) { Merges = merges, ByteLevel = true, PreTokenizer = new RegexPreTokenizer(Gpt2Words(), null) });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{directory}: vocab.json and merges.txt do not make a byte-level BPE tokenizer ({e.Message})", e);
        }
        return new ByteLevelBpeTokenizer(bpe, vocabJson, mergesTxt, vocabulary, names, addPrefixSpace,
            settings.ModelMaxLength(maxLength), tokenizerClass, vocabPath);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Tokenize(string text) =>
        specialTokens.Tokenize(text, (plain, ids) =>
        {
            if (plain.Length > 0) ids.AddRange(bpe.EncodeToIds(AddPrefixSpace && !char.IsWhiteSpace(plain[0]) ? " " + plain : plain));
        });

    /// <inheritdoc />
    public EncodedText Encode(string text, string? pair = null, int? maxLength = null) =>
        layout.Encode(Tokenize(text), pair is null ? null : Tokenize(pair), maxLength ?? ModelMaxLength);

    /// <inheritdoc />
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null, int? maxLength = null) =>
        BatchEncoding.Encode(this, texts, pairs, maxLength);

    /// <summary>Writes <c>vocab.json</c>, <c>merges.txt</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.</summary>
    public void Save(string directory)
    {
        AtomicFile.WriteAllBytes(Path.Combine(directory, "vocab.json"), vocabJson);
        AtomicFile.WriteAllBytes(Path.Combine(directory, "merges.txt"), mergesTxt);
        var config = new Dictionary<string, object> { ["tokenizer_class"] = tokenizerClass, ["add_prefix_space"] = AddPrefixSpace,
            ["model_max_length"] = ModelMaxLength, ["errors"] = "replace" };
        foreach (var (role, token) in specialTokenNames) config[role] = token;
        var indented = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(config, indented));
        AtomicFile.WriteAllText(Path.Combine(directory, "special_tokens_map.json"), JsonSerializer.Serialize(specialTokenNames, indented));
    }
}
