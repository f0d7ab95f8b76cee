using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using TypedBert.Serialization;

namespace TypedBert.Tokenization;

/// <summary>
/// ALBERT's tokenizer: a SentencePiece model (<c>spiece.model</c>, read by Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>)
/// after Hugging Face's ALBERT text preparation (collapse whitespace, <c>``</c> and <c>''</c> to <c>"</c>, accents removed unless
/// <c>keep_accents</c>, lowercase when <c>do_lower_case</c>, then NFKC as SentencePiece's <c>nmt_nfkc</c> normaliser does), and
/// the layout <c>[CLS] A [SEP] B [SEP]</c> with token type 1 for B. Safe to use from many threads.
/// </summary>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    readonly SentencePieceTokenizer model;
    readonly SpecialTokenSplitter specialTokens;
    readonly SpecialTokenLayout layout;
    readonly byte[] modelBytes;
    readonly Dictionary<string, string> specialTokenNames;
    readonly int unknownId;

    SentencePieceTextTokenizer(SentencePieceTokenizer model, byte[] modelBytes, Dictionary<string, string> specialTokenNames,
        bool doLowerCase, bool keepAccents, int modelMaxLength, string source)
    {
        this.model = model;
        this.modelBytes = modelBytes;
        this.specialTokenNames = specialTokenNames;
        DoLowerCase = doLowerCase;
        KeepAccents = keepAccents;
        ModelMaxLength = modelMaxLength;
        VocabularySize = model.Vocabulary.Count;
        int Require(string role) => model.Vocabulary.TryGetValue(specialTokenNames[role], out int id)
            ? id : throw new InvalidDataException($"{source}: {role} \"{specialTokenNames[role]}\" is not a piece of the SentencePiece model");
        ClsTokenId = Require("cls_token");
        SepTokenId = Require("sep_token");
        PadTokenId = Require("pad_token");
        unknownId = model.UnknownId;
        specialTokens = new([.. specialTokenNames.Values.Distinct().Where(model.Vocabulary.ContainsKey).Select(t => (t, model.Vocabulary[t]))]);
        layout = SpecialTokenLayout.Bert(ClsTokenId, SepTokenId);
    }

    /// <summary>Whether text is lowercased first (<c>do_lower_case</c>; true for albert-base-v2).</summary>
    public bool DoLowerCase { get; }

    /// <summary>Whether accents are kept (<c>keep_accents</c>; false by default).</summary>
    public bool KeepAccents { get; }

    /// <summary>The contents of <c>spiece.model</c>.</summary>
    internal byte[] ModelBytes => modelBytes;

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
    /// Reads <c>spiece.model</c> (or, where a folder lacks it, the Unigram model of <c>tokenizer.json</c>, all that transformers 5
    /// saves) and, when present, <c>tokenizer_config.json</c> from a model folder.
    /// </summary>
    /// <param name="directory">A Hugging Face model folder.</param>
    /// <param name="maxLength">The longest input the model takes, the upper bound of model_max_length.</param>
    public static SentencePieceTextTokenizer FromDirectory(string directory, int maxLength = 512)
    {
        string modelPath = Path.Combine(directory, "spiece.model");
        string? json = File.Exists(modelPath) ? null
            : TokenizerJson.Find(directory) ?? throw new FileNotFoundException($"{modelPath}: SentencePiece model not found", modelPath);
        var settings = TokenizerConfigFile.Load(Path.Combine(directory, "tokenizer_config.json"));
        var names = new Dictionary<string, string>
        {
            ["bos_token"] = settings.Token("bos_token") ?? "[CLS]", ["eos_token"] = settings.Token("eos_token") ?? "[SEP]",
            ["unk_token"] = settings.Token("unk_token") ?? "<unk>", ["sep_token"] = settings.Token("sep_token") ?? "[SEP]",
            ["pad_token"] = settings.Token("pad_token") ?? "<pad>", ["cls_token"] = settings.Token("cls_token") ?? "[CLS]",
            ["mask_token"] = settings.Token("mask_token") ?? "[MASK]",
        };
        byte[] bytes = json is null ? File.ReadAllBytes(modelPath) : TokenizerJson.SentencePieceModel(json, names);
        if (json is not null) modelPath = json;
        SentencePieceTokenizer model;
        try
        {
            using var stream = new MemoryStream(bytes);
            model = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or NotSupportedException
                                   or Google.Protobuf.InvalidProtocolBufferException)
        {
            throw new InvalidDataException($"{modelPath}: not a usable SentencePiece model ({e.Message})", e);
        }
        return new SentencePieceTextTokenizer(model, bytes, names, settings.Bool("do_lower_case") ?? true, settings.Bool("keep_accents") ?? false,
            settings.ModelMaxLength(maxLength), modelPath);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Tokenize(string text) =>
        specialTokens.Tokenize(text, (plain, ids) =>
        {
            string prepared = Prepare(plain);
            if (prepared.Length == 0) return;
            // SentencePiece and transformers' Unigram give one <unk> for a run of unknown characters; Microsoft.ML.Tokenizers gives one each.
            foreach (int id in model.EncodeToIds(prepared, addBeginningOfSentence: false, addEndOfSentence: false, considerPreTokenization: true, considerNormalization: true))
                if (id != unknownId || ids.Count == 0 || ids[^1] != unknownId) ids.Add(id);
        });

    /// <summary>Hugging Face's <c>AlbertTokenizer.preprocess_text</c>, then NFKC.</summary>
    string Prepare(string text)
    {
        string prepared = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Replace("``", "\"").Replace("''", "\"");
        if (!KeepAccents)
        {
            var kept = new StringBuilder(prepared.Length);
            foreach (var rune in prepared.Normalize(NormalizationForm.FormKD).EnumerateRunes())
                if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark) kept.Append(rune.ToString());
            prepared = kept.ToString();
        }
        if (DoLowerCase) prepared = prepared.ToLowerInvariant();
        return prepared.Normalize(NormalizationForm.FormKC);
    }

    /// <inheritdoc />
    public EncodedText Encode(string text, string? pair = null, int? maxLength = null) =>
        layout.Encode(Tokenize(text), pair is null ? null : Tokenize(pair), maxLength ?? ModelMaxLength);

    /// <inheritdoc />
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null, int? maxLength = null) =>
        BatchEncoding.Encode(this, texts, pairs, maxLength);

    /// <summary>Writes <c>spiece.model</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c>.</summary>
    public void Save(string directory)
    {
        AtomicFile.WriteAllBytes(Path.Combine(directory, "spiece.model"), modelBytes);
        var config = new Dictionary<string, object> { ["tokenizer_class"] = "AlbertTokenizer", ["do_lower_case"] = DoLowerCase,
            ["keep_accents"] = KeepAccents, ["remove_space"] = true, ["model_max_length"] = ModelMaxLength };
        foreach (var (role, token) in specialTokenNames) config[role] = token;
        var indented = new JsonSerializerOptions { WriteIndented = true };
        AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), JsonSerializer.Serialize(config, indented));
        AtomicFile.WriteAllText(Path.Combine(directory, "special_tokens_map.json"), JsonSerializer.Serialize(specialTokenNames, indented));
    }
}
