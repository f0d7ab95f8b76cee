using System.Text;
using System.Text.Json;

namespace TypedBert.Tokenization;

/// <summary>
/// Reads the model section of a Hugging Face <c>tokenizer.json</c> into the files TypedBert's tokenizers read. transformers 5's
/// <c>save_pretrained</c> writes only <c>tokenizer.json</c> (no <c>vocab.txt</c>, <c>vocab.json</c> + <c>merges.txt</c> or
/// <c>spiece.model</c>), so a model fine-tuned and saved in Python today has nothing else; the normalisation and special-token
/// rules stay those of the family's tokenizer and of <c>tokenizer_config.json</c>, as in transformers.
/// </summary>
internal static class TokenizerJson
{
    public const string FileName = "tokenizer.json";

    /// <summary>The path of <c>tokenizer.json</c> in <paramref name="directory"/>, or null when it has none.</summary>
    public static string? Find(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return File.Exists(path) ? path : null;
    }

    /// <summary>A WordPiece model's vocabulary in id order, as <c>vocab.txt</c> lists it.</summary>
    public static string[] WordPieceVocabulary(string path)
    {
        var model = Model(path, "WordPiece");
        var vocabulary = Vocabulary(path, model);
        var lines = new string[vocabulary.Count];
        foreach (var (token, id) in vocabulary)
        {
            if (id < 0 || id >= lines.Length || lines[id] is not null)
                throw new InvalidDataException($"{path}: model.vocab gives id {id} to \"{token}\"; ids must be 0..{lines.Length - 1}, each once");
            lines[id] = token;
        }
        return lines;
    }

    /// <summary>A byte-level BPE model as the contents of <c>vocab.json</c> and <c>merges.txt</c>.</summary>
    public static (byte[] VocabJson, byte[] MergesTxt) ByteLevelBpeFiles(string path)
    {
        var model = Model(path, "BPE");
        var vocabulary = Vocabulary(path, model);
        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: model.merges is missing or not an array");
        var text = new StringBuilder("#version: 0.2\n");
        int index = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            // tokenizers writes a merge as "a b" (before 0.20) or as ["a", "b"].
            string line = merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!,
                JsonValueKind.Array when merge.GetArrayLength() == 2 => $"{merge[0].GetString()} {merge[1].GetString()}",
                _ => throw new InvalidDataException($"{path}: model.merges[{index}] is neither \"a b\" nor [\"a\", \"b\"]"),
            };
            text.Append(line).Append('\n');
            index++;
        }
        return (JsonSerializer.SerializeToUtf8Bytes(vocabulary), Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A Unigram model as an ALBERT-style <c>spiece.model</c>; added special tokens become control pieces.</summary>
    public static byte[] SentencePieceModel(string path, IReadOnlyDictionary<string, string> specialTokens)
    {
        using var document = Parse(path);
        var model = Model(path, "Unigram", document);
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: model.vocab of a Unigram model must be an array of [piece, score]");
        int unkId = model.TryGetProperty("unk_id", out var unk) && unk.ValueKind == JsonValueKind.Number ? unk.GetInt32()
            : throw new InvalidDataException($"{path}: model.unk_id is missing");
        var special = AddedSpecialTokens(document.RootElement);
        var pieces = new List<(string, float, SentencePieceModelWriter.PieceType)>();
        foreach (var entry in vocab.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2 || entry[0].ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: model.vocab[{pieces.Count}] is not [piece, score]");
            string piece = entry[0].GetString()!;
            var type = pieces.Count == unkId ? SentencePieceModelWriter.PieceType.Unknown
                : special.Contains(piece) ? SentencePieceModelWriter.PieceType.Control : SentencePieceModelWriter.PieceType.Normal;
            pieces.Add((piece, entry[1].GetSingle(), type));
        }
        int Id(string name)
        {
            string token = specialTokens[name];
            int id = pieces.FindIndex(p => p.Item1 == token);
            return id >= 0 ? id : throw new InvalidDataException($"{path}: {name} \"{token}\" is not in model.vocab");
        }
        if (unkId < 0 || unkId >= pieces.Count) throw new InvalidDataException($"{path}: model.unk_id {unkId} is outside model.vocab");
        byte[]? charsMap = document.RootElement.TryGetProperty("normalizer", out var normalizer) ? PrecompiledCharsMap(normalizer) : null;
        return SentencePieceModelWriter.Unigram(pieces, unkId, Id("bos_token"), Id("eos_token"), Id("pad_token"),
            charsMap is null ? "identity" : "nmt_nfkc", charsMap);
    }

    static JsonDocument Parse(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllBytes(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e); }
    }

    static JsonElement Model(string path, string expectedType)
    {
        using var document = Parse(path);
        return Model(path, expectedType, document).Clone();
    }

    static JsonElement Model(string path, string expectedType, JsonDocument document)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("model", out var model)
            || model.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: no \"model\" object");
        string? type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type == expectedType ? model
            : throw new InvalidDataException($"{path}: model.type is \"{type}\", but this model family's tokenizer needs a {expectedType} model");
    }

    static Dictionary<string, int> Vocabulary(string path, JsonElement model)
    {
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: model.vocab is missing or not a token-to-id object");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in vocab.EnumerateObject())
            result[property.Name] = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out int id) ? id
                : throw new InvalidDataException($"{path}: model.vocab[\"{property.Name}\"] is not an integer id");
        return result;
    }

    static HashSet<string> AddedSpecialTokens(JsonElement root) =>
        root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array
            ? [.. added.EnumerateArray()
                .Where(t => t.TryGetProperty("special", out var s) && s.ValueKind == JsonValueKind.True && t.TryGetProperty("content", out _))
                .Select(t => t.GetProperty("content").GetString()!)]
            : [];

    /// <summary>The <c>precompiled_charsmap</c> of a <c>Precompiled</c> normaliser, alone or inside a <c>Sequence</c>.</summary>
    static byte[]? PrecompiledCharsMap(JsonElement normalizer)
    {
        if (normalizer.ValueKind != JsonValueKind.Object || !normalizer.TryGetProperty("type", out var type)) return null;
        if (type.GetString() == "Precompiled" && normalizer.TryGetProperty("precompiled_charsmap", out var map) && map.ValueKind == JsonValueKind.String)
            return Convert.FromBase64String(map.GetString()!);
        if (type.GetString() == "Sequence" && normalizer.TryGetProperty("normalizers", out var inner) && inner.ValueKind == JsonValueKind.Array)
            return inner.EnumerateArray().Select(PrecompiledCharsMap).FirstOrDefault(m => m is not null);
        return null;
    }
}
