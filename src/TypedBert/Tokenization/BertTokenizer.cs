using Microsoft.ML.Tokenizers;

namespace TypedBert.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer, as Hugging Face's <c>BertTokenizer</c> behaves: basic tokenization (punctuation and CJK splitting,
/// lowercasing and accent stripping for uncased models), word pieces, special tokens, text pairs, truncation and batch padding.
/// Word pieces come from Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/>; see <see cref="BasicTokenizer"/> for the rest.
/// Safe to use from many threads.
/// </summary>
public sealed class BertTokenizer : ITextTokenizer
{
    readonly WordPieceTokenizer wordPiece;
    readonly BasicTokenizer basic;
    readonly SpecialTokenSplitter specialTokens;
    readonly SpecialTokenLayout layout;

    readonly string[] vocabulary;

    BertTokenizer(WordPieceTokenizer wordPiece, TokenizerSettings settings, string[] vocabulary, string vocabPath)
    {
        this.wordPiece = wordPiece;
        this.vocabulary = vocabulary;
        VocabularyPath = Path.GetFullPath(vocabPath);
        Settings = settings;
        VocabularySize = vocabulary.Length;
        basic = new BasicTokenizer(settings.DoLowerCase, settings.EffectiveStripAccents, settings.TokenizeChineseChars);
        int Require(string token) => wordPiece.SpecialTokens!.TryGetValue(token, out int id)
            ? id : throw new InvalidDataException($"{vocabPath}: special token \"{token}\" is not in the vocabulary");
        specialTokens = new([.. new[] { settings.ClsToken, settings.SepToken, settings.PadToken, settings.UnkToken, settings.MaskToken }
            .Select(token => (token, Require(token)))]);
        ClsTokenId = Require(settings.ClsToken);
        SepTokenId = Require(settings.SepToken);
        PadTokenId = Require(settings.PadToken);
        layout = SpecialTokenLayout.Bert(ClsTokenId, SepTokenId);
    }

    /// <summary>How this tokenizer normalises text and which special tokens it uses.</summary>
    public TokenizerSettings Settings { get; }

    /// <summary>The vocabulary in id order, as <c>vocab.txt</c> lists it.</summary>
    internal IReadOnlyList<string> Vocabulary => vocabulary;

    /// <summary>The <c>vocab.txt</c> (or <c>tokenizer.json</c>) this tokenizer was read from.</summary>
    public string VocabularyPath { get; }

    /// <summary>Writes <c>vocab.txt</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        Serialization.AtomicFile.WriteAllText(Path.Combine(directory, "vocab.txt"), string.Join('\n', vocabulary) + "\n");
        Serialization.AtomicFile.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), Settings.ToJson());
        Serialization.AtomicFile.WriteAllText(Path.Combine(directory, "special_tokens_map.json"), Settings.SpecialTokensMapJson());
    }

    /// <summary>Number of entries of <c>vocab.txt</c>.</summary>
    public int VocabularySize { get; }

    /// <summary>Id of <c>[CLS]</c>.</summary>
    public int ClsTokenId { get; }
    /// <summary>Id of <c>[SEP]</c>.</summary>
    public int SepTokenId { get; }
    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PadTokenId { get; }

    /// <summary>The default maximum length, special tokens included.</summary>
    public int ModelMaxLength => Settings.ModelMaxLength;

    /// <summary>Creates a tokenizer from a <c>vocab.txt</c> (one token per line, LF or CRLF).</summary>
    public static BertTokenizer FromVocabulary(string vocabPath, TokenizerSettings? settings = null)
    {
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"{vocabPath}: vocabulary file not found", vocabPath);
        return FromVocabulary(File.ReadAllLines(vocabPath), settings ?? new TokenizerSettings(), vocabPath);
    }

    static BertTokenizer FromVocabulary(string[] vocabulary, TokenizerSettings settings, string vocabPath)
    {
        WordPieceTokenizer wordPiece;
        try
        {
            var special = new[] { settings.ClsToken, settings.SepToken, settings.PadToken, settings.UnkToken, settings.MaskToken }
                .Distinct()
                .Select(token => (token, id: Array.IndexOf(vocabulary, token)))
                .Where(pair => pair.id >= 0)
                .ToDictionary(pair => pair.token, pair => pair.id);
            using var lines = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', vocabulary) + "\n"));
            wordPiece = WordPieceTokenizer.Create(lines, new WordPieceOptions { UnknownToken = settings.UnkToken, SpecialTokens = special });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{vocabPath}: not a usable WordPiece vocabulary ({e.Message})", e);
        }
        return new BertTokenizer(wordPiece, settings, vocabulary, vocabPath);
    }

    /// <summary>
    /// Reads <c>vocab.txt</c> (or, where a folder lacks it, the WordPiece vocabulary of <c>tokenizer.json</c>, all that transformers 5
    /// saves) and, when present, <c>tokenizer_config.json</c> from a model folder.
    /// </summary>
    /// <param name="directory">A Hugging Face model folder.</param>
    /// <param name="maxPositions">The model's max_position_embeddings, the upper bound of model_max_length.</param>
    public static BertTokenizer FromDirectory(string directory, int maxPositions = 512)
    {
        var settings = TokenizerSettings.Load(Path.Combine(directory, "tokenizer_config.json"), maxPositions);
        string vocabPath = Path.Combine(directory, "vocab.txt");
        return !File.Exists(vocabPath) && TokenizerJson.Find(directory) is { } json
            ? FromVocabulary(TokenizerJson.WordPieceVocabulary(json), settings, json)
            : FromVocabulary(vocabPath, settings);
    }

    /// <summary>Word-piece ids of <paramref name="text"/>, without special tokens.</summary>
    public IReadOnlyList<int> Tokenize(string text) =>
        specialTokens.Tokenize(text, (plain, ids) =>
        {
            foreach (var word in basic.Split(plain))
                ids.AddRange(wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        });

    /// <summary>Encodes one text, or a pair, with special tokens; longest-first truncation to <paramref name="maxLength"/>.</summary>
    /// <param name="text">First text.</param>
    /// <param name="pair">Optional second text (sentence-pair tasks).</param>
    /// <param name="maxLength">Maximum tokens including specials; <see cref="ModelMaxLength"/> when null.</param>
    public EncodedText Encode(string text, string? pair = null, int? maxLength = null)
    {
        int limit = maxLength ?? ModelMaxLength;
        int specials = layout.SpecialTokens(pair is not null);
        if (limit < specials) throw new ArgumentOutOfRangeException(nameof(maxLength), limit, $"must leave room for {specials} special tokens");
        return layout.Encode(Tokenize(text), pair is null ? null : Tokenize(pair), limit);
    }

    /// <summary>Encodes a batch and pads it to its longest member (dynamic padding).</summary>
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null, int? maxLength = null) =>
        BatchEncoding.Encode(this, texts, pairs, maxLength);
}
