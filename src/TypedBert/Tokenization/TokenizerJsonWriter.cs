using System.Text.Json;
using System.Text.Json.Nodes;

namespace TypedBert.Tokenization;

/// <summary>
/// Writes a Hugging Face <c>tokenizer.json</c> (the tokenizers library's format, which transformers' fast tokenizers,
/// transformers.js and tokenizers in Rust, Python and .NET read) that tokenizes as TypedBert's tokenizer does: WordPiece with
/// BERT's normaliser and <c>[CLS] A [SEP]</c>, byte-level BPE with RoBERTa's <c>&lt;s&gt; A &lt;/s&gt;</c>, or ALBERT's Unigram with
/// its normalisers and Metaspace. Laid out as transformers 5 writes them for the same families.
/// </summary>
internal static class TokenizerJsonWriter
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>tokenizer.json</c> text of <paramref name="tokenizer"/>.</summary>
    /// <exception cref="NotSupportedException">The tokenizer is not one of TypedBert's three kinds.</exception>
    public static string ToJson(ITextTokenizer tokenizer) => (tokenizer switch
    {
        BertTokenizer bert => WordPiece(bert.Vocabulary, bert.Settings),
        ByteLevelBpeTokenizer bpe => ByteLevelBpe(bpe),
        SentencePieceTextTokenizer sentencePiece => Unigram(sentencePiece),
        _ => throw new NotSupportedException($"{tokenizer.GetType().Name}: tokenizer.json is written for TypedBert's WordPiece, byte-level BPE and SentencePiece tokenizers only"),
    }).ToJsonString(Indented);

    static JsonObject WordPiece(IReadOnlyList<string> vocabulary, TokenizerSettings settings)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < vocabulary.Count; id++) ids[vocabulary[id]] = id; // a repeated line keeps its last id, as transformers' load_vocab
        var vocab = new JsonObject();
        foreach (var (token, id) in ids.OrderBy(p => p.Value)) vocab[token] = id;
        return Document(
            AddedTokens([settings.PadToken, settings.UnkToken, settings.ClsToken, settings.SepToken, settings.MaskToken], ids),
            normalizer: new JsonObject
            {
                ["type"] = "BertNormalizer", ["clean_text"] = true, ["handle_chinese_chars"] = settings.TokenizeChineseChars,
                ["strip_accents"] = settings.StripAccents, ["lowercase"] = settings.DoLowerCase,
            },
            preTokenizer: new JsonObject { ["type"] = "BertPreTokenizer" },
            postProcessor: BertTemplate(settings.ClsToken, ids[settings.ClsToken], settings.SepToken, ids[settings.SepToken]),
            decoder: new JsonObject { ["type"] = "WordPiece", ["prefix"] = "##", ["cleanup"] = true },
            model: new JsonObject
            {
                ["type"] = "WordPiece", ["unk_token"] = settings.UnkToken, ["continuing_subword_prefix"] = "##",
                ["max_input_chars_per_word"] = 100, ["vocab"] = vocab,
            });
    }

    static JsonObject ByteLevelBpe(ByteLevelBpeTokenizer tokenizer)
    {
        var ids = JsonSerializer.Deserialize<Dictionary<string, int>>(tokenizer.VocabJson)!;
        var vocab = new JsonObject();
        foreach (var (token, id) in ids.OrderBy(p => p.Value)) vocab[token] = id;
        var merges = new JsonArray();
        foreach (var line in System.Text.Encoding.UTF8.GetString(tokenizer.MergesTxt).Split('\n'))
        {
            string merge = line.TrimEnd('\r');
            if (merge.Length == 0 || merge.StartsWith("#version", StringComparison.Ordinal)) continue;
            int space = merge.IndexOf(' ', StringComparison.Ordinal); // byte-level symbols never contain a space (it is spelled Ġ)
            merges.Add(new JsonArray(merge[..space], merge[(space + 1)..]));
        }
        var names = tokenizer.SpecialTokenNames;
        string cls = names["cls_token"], sep = names["sep_token"];
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = tokenizer.AddPrefixSpace, ["trim_offsets"] = true, ["use_regex"] = true };
        return Document(
            AddedTokens(names.Values, ids),
            normalizer: null,
            preTokenizer: byteLevel,
            postProcessor: new JsonObject
            {
                ["type"] = "RobertaProcessing", ["sep"] = new JsonArray(sep, ids[sep]), ["cls"] = new JsonArray(cls, ids[cls]),
                ["trim_offsets"] = true, ["add_prefix_space"] = tokenizer.AddPrefixSpace,
            },
            decoder: new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            model: new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "", ["end_of_word_suffix"] = "",
                ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false, ["vocab"] = vocab, ["merges"] = merges,
            });
    }

    static JsonObject Unigram(SentencePieceTextTokenizer tokenizer)
    {
        var (pieces, charsMap) = SentencePieceModelReader.Read(tokenizer.ModelBytes, "spiece.model");
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = pieces.Count - 1; id >= 0; id--) ids[pieces[id].Piece] = id; // SentencePiece finds a repeated piece at its first id
        int unkId = pieces.FindIndex(p => p.Type == SentencePieceModelWriter.PieceType.Unknown);
        var vocab = new JsonArray([.. pieces.Select(p => (JsonNode)new JsonArray(p.Piece, p.Score))]);
        // AlbertTokenizer.preprocess_text and SentencePiece's nmt_nfkc, as transformers' AlbertConverter writes them.
        var normalizers = new JsonArray(Replace("``", "\""), Replace("''", "\""));
        if (!tokenizer.KeepAccents) { normalizers.Add(new JsonObject { ["type"] = "NFKD" }); normalizers.Add(new JsonObject { ["type"] = "StripAccents" }); }
        if (tokenizer.DoLowerCase) normalizers.Add(new JsonObject { ["type"] = "Lowercase" });
        // Without a compiled map TypedBert still applies NFKC (SentencePieceTextTokenizer.Prepare), so the file says so.
        normalizers.Add(charsMap is { Length: > 0 }
            ? new JsonObject { ["type"] = "Precompiled", ["precompiled_charsmap"] = Convert.ToBase64String(charsMap) }
            : new JsonObject { ["type"] = "NFKC" });
        var names = tokenizer.SpecialTokenNames;
        JsonObject Metaspace() => new() { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = "always", ["split"] = true };
        return Document(
            AddedTokens(names.Values, ids),
            normalizer: new JsonObject { ["type"] = "Sequence", ["normalizers"] = normalizers },
            preTokenizer: new JsonObject { ["type"] = "Sequence", ["pretokenizers"] = new JsonArray(new JsonObject { ["type"] = "WhitespaceSplit" }, Metaspace()) },
            postProcessor: BertTemplate(names["cls_token"], ids[names["cls_token"]], names["sep_token"], ids[names["sep_token"]]),
            decoder: Metaspace(),
            model: new JsonObject { ["type"] = "Unigram", ["unk_id"] = unkId, ["vocab"] = vocab, ["byte_fallback"] = false });
    }

    static JsonObject Replace(string pattern, string content) =>
        new() { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = pattern }, ["content"] = content };

    static JsonObject Document(JsonArray addedTokens, JsonObject? normalizer, JsonObject preTokenizer, JsonObject postProcessor, JsonObject decoder, JsonObject model) => new()
    {
        ["version"] = "1.0",
        ["truncation"] = null,
        ["padding"] = null,
        ["added_tokens"] = addedTokens,
        ["normalizer"] = normalizer,
        ["pre_tokenizer"] = preTokenizer,
        ["post_processor"] = postProcessor,
        ["decoder"] = decoder,
        ["model"] = model,
    };

    /// <summary>The special tokens in the vocabulary, by id: matched whole in a text and never split, as TypedBert's tokenizers do.</summary>
    static JsonArray AddedTokens(IEnumerable<string> specialTokens, IReadOnlyDictionary<string, int> ids) =>
        new([.. specialTokens.Distinct().Where(ids.ContainsKey).OrderBy(t => ids[t]).Select(token => (JsonNode)new JsonObject
        {
            ["id"] = ids[token], ["content"] = token, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        })]);

    /// <summary><c>[CLS] A [SEP]</c>, and <c>[CLS] A [SEP] B [SEP]</c> with type 1 for B (BERT, ALBERT).</summary>
    static JsonObject BertTemplate(string cls, int clsId, string sep, int sepId)
    {
        static JsonObject Special(string id, int type) => new() { ["SpecialToken"] = new JsonObject { ["id"] = id, ["type_id"] = type } };
        static JsonObject Sequence(string id, int type) => new() { ["Sequence"] = new JsonObject { ["id"] = id, ["type_id"] = type } };
        static JsonObject Token(string token, int id) => new() { ["id"] = token, ["ids"] = new JsonArray(id), ["tokens"] = new JsonArray(token) };
        return new JsonObject
        {
            ["type"] = "TemplateProcessing",
            ["single"] = new JsonArray(Special(cls, 0), Sequence("A", 0), Special(sep, 0)),
            ["pair"] = new JsonArray(Special(cls, 0), Sequence("A", 0), Special(sep, 0), Sequence("B", 1), Special(sep, 1)),
            ["special_tokens"] = new JsonObject { [cls] = Token(cls, clsId), [sep] = Token(sep, sepId) },
        };
    }
}
