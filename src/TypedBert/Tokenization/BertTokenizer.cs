using Microsoft.ML.Tokenizers;

namespace TypedBert.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer, as Hugging Face's <c>BertTokenizer</c> behaves: basic tokenization (punctuation and CJK splitting,
/// lowercasing and accent stripping for uncased models), word pieces, special tokens, text pairs, truncation and batch padding.
/// Word pieces come from Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/>; see <see cref="BasicTokenizer"/> for the rest.
/// Safe to use from many threads.
/// </summary>
public sealed class BertTokenizer
{
    readonly WordPieceTokenizer wordPiece;
    readonly BasicTokenizer basic;
    readonly (string Text, int Id)[] specialTokens;

    BertTokenizer(WordPieceTokenizer wordPiece, TokenizerSettings settings, int vocabularySize, string vocabPath)
    {
        this.wordPiece = wordPiece;
        VocabularyPath = Path.GetFullPath(vocabPath);
        Settings = settings;
        VocabularySize = vocabularySize;
        basic = new BasicTokenizer(settings.DoLowerCase, settings.EffectiveStripAccents, settings.TokenizeChineseChars);
        int Require(string token) => wordPiece.SpecialTokens!.TryGetValue(token, out int id)
            ? id : throw new InvalidDataException($"{vocabPath}: special token \"{token}\" is not in the vocabulary");
        specialTokens = [.. new[] { settings.ClsToken, settings.SepToken, settings.PadToken, settings.UnkToken, settings.MaskToken }
            .Select(token => (token, Require(token)))];
        ClsTokenId = Require(settings.ClsToken);
        SepTokenId = Require(settings.SepToken);
        PadTokenId = Require(settings.PadToken);
    }

    /// <summary>How this tokenizer normalises text and which special tokens it uses.</summary>
    public TokenizerSettings Settings { get; }

    /// <summary>The <c>vocab.txt</c> this tokenizer was read from.</summary>
    public string VocabularyPath { get; }

    /// <summary>Writes <c>vocab.txt</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        var vocabulary = File.ReadLines(VocabularyPath).Select(line => line.TrimEnd('\r'));
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
        settings ??= new TokenizerSettings();
        if (!File.Exists(vocabPath)) throw new FileNotFoundException($"{vocabPath}: vocabulary file not found", vocabPath);
        var vocabulary = File.ReadAllLines(vocabPath);
        WordPieceTokenizer wordPiece;
        try
        {
            var special = new[] { settings.ClsToken, settings.SepToken, settings.PadToken, settings.UnkToken, settings.MaskToken }
                .Distinct()
                .Select(token => (token, id: Array.IndexOf(vocabulary, token)))
                .Where(pair => pair.id >= 0)
                .ToDictionary(pair => pair.token, pair => pair.id);
            wordPiece = WordPieceTokenizer.Create(vocabPath, new WordPieceOptions { UnknownToken = settings.UnkToken, SpecialTokens = special });
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{vocabPath}: not a usable WordPiece vocabulary ({e.Message})", e);
        }
        return new BertTokenizer(wordPiece, settings, vocabulary.Length, vocabPath);
    }

    /// <summary>Reads <c>vocab.txt</c> and, when present, <c>tokenizer_config.json</c> from a model folder.</summary>
    /// <param name="directory">A Hugging Face model folder.</param>
    /// <param name="maxPositions">The model's max_position_embeddings, the upper bound of model_max_length.</param>
    public static BertTokenizer FromDirectory(string directory, int maxPositions = 512)
    {
        var settings = TokenizerSettings.Load(Path.Combine(directory, "tokenizer_config.json"), maxPositions);
        return FromVocabulary(Path.Combine(directory, "vocab.txt"), settings);
    }

    /// <summary>Word-piece ids of <paramref name="text"/>, without special tokens.</summary>
    public IReadOnlyList<int> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        int start = 0;
        while (start <= text.Length)
        {
            // Special tokens written in the text ("[SEP]") become their ids, as in Hugging Face.
            var (at, token) = NextSpecialToken(text, start);
            foreach (var word in basic.Split(text[start..at]))
                ids.AddRange(wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
            if (token.Text is null) break;
            ids.Add(token.Id);
            start = at + token.Text.Length;
        }
        return ids;
    }

    (int At, (string? Text, int Id) Token) NextSpecialToken(string text, int from)
    {
        int best = text.Length;
        (string? Text, int Id) found = (null, 0);
        foreach (var special in specialTokens)
        {
            int at = text.IndexOf(special.Text, from, StringComparison.Ordinal);
            if (at >= 0 && at < best) (best, found) = (at, special);
        }
        return (best, found);
    }

    /// <summary>Encodes one text, or a pair, with special tokens; longest-first truncation to <paramref name="maxLength"/>.</summary>
    /// <param name="text">First text.</param>
    /// <param name="pair">Optional second text (sentence-pair tasks).</param>
    /// <param name="maxLength">Maximum tokens including specials; <see cref="ModelMaxLength"/> when null.</param>
    public EncodedText Encode(string text, string? pair = null, int? maxLength = null)
    {
        int limit = maxLength ?? ModelMaxLength;
        int specials = pair is null ? 2 : 3;
        if (limit < specials) throw new ArgumentOutOfRangeException(nameof(maxLength), limit, $"must leave room for {specials} special tokens");
        var first = Tokenize(text);
        var second = pair is null ? [] : Tokenize(pair);
        var (keepFirst, keepSecond) = LongestFirst(first.Count, second.Count, limit - specials);

        int length = keepFirst + keepSecond + specials;
        var ids = new int[length];
        var types = new int[length];
        int at = 0;
        ids[at++] = ClsTokenId;
        for (int i = 0; i < keepFirst; i++) ids[at++] = first[i];
        ids[at++] = SepTokenId;
        if (pair is not null)
        {
            int secondStart = at;
            for (int i = 0; i < keepSecond; i++) ids[at++] = second[i];
            ids[at++] = SepTokenId;
            Array.Fill(types, 1, secondStart, at - secondStart);
        }
        return new EncodedText(ids, types, keepFirst < first.Count || keepSecond < second.Count);
    }

    /// <summary>Hugging Face's "longest_first": drop one token at a time from whichever text is longer.</summary>
    static (int First, int Second) LongestFirst(int first, int second, int budget)
    {
        int excess = first + second - budget;
        if (excess <= 0) return (first, second);
        // Trim the longer down to the shorter's length, then alternate (the longer side first on ties goes to the second text).
        int fromFirst = Math.Min(excess, Math.Max(0, first - second));
        int fromSecond = Math.Min(excess - fromFirst, Math.Max(0, second - first));
        int rest = excess - fromFirst - fromSecond;
        fromFirst += rest / 2;
        fromSecond += rest - rest / 2;
        return (first - fromFirst, second - fromSecond);
    }

    /// <summary>Encodes a batch and pads it to its longest member (dynamic padding).</summary>
    public BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (pairs is not null && pairs.Count != texts.Count)
            throw new ArgumentException($"{texts.Count} texts but {pairs.Count} pair texts", nameof(pairs));
        var encoded = new EncodedText[texts.Count];
        for (int i = 0; i < texts.Count; i++) encoded[i] = Encode(texts[i], pairs?[i], maxLength);
        return new BatchEncoding(encoded, PadTokenId);
    }
}
