using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TypedBert.Classification;
using TypedBert.Tokenization;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// The <c>tokenizer.json</c> an export writes, for each tokenizer family, against two independent oracles: the file transformers 5 wrote
/// for the same tokenizer (the committed fixtures), and transformers.js tokenizing the tricky text from the written file, id for id
/// against TypedBert's own tokenizer (and, for the real MiniLM vocabulary, against transformers' ids).
/// </summary>
public sealed class ExportedTokenizerJsonTests
{
    /// <summary>The fixtures, one per tokenizer kind and family: WordPiece (bert, distilbert), byte-level BPE (roberta, longformer), Unigram (albert).</summary>
    public static TheoryData<string> Fixtures() => ["bert", "distilbert", "roberta", "longformer", "albert"];

    static ITextTokenizer FixtureTokenizer(string name)
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", name)));
        return classifier.Tokenizer;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Written_tokenizer_json_is_the_one_transformers_wrote_for_the_same_tokenizer(string name)
    {
        var written = JsonNode.Parse(TokenizerJsonWriter.ToJson(FixtureTokenizer(name)))!.AsObject();
        var python = JsonNode.Parse(File.ReadAllText(TestPaths.Fixture(Path.Combine("variants", name, "tokenizer.json"))))!.AsObject();
        foreach (var section in new[] { "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder" })
            Assert.True(JsonNode.DeepEquals(python[section], written[section]), $"{name}: {section}\n  transformers: {python[section]?.ToJsonString()}\n  written:      {written[section]?.ToJsonString()}");
        var (pythonModel, writtenModel) = (python["model"]!.AsObject(), written["model"]!.AsObject());
        Assert.Equal(pythonModel.Select(p => p.Key).Order(), writtenModel.Select(p => p.Key).Order());
        foreach (var (key, value) in pythonModel)
        {
            if (key == "vocab" && value is JsonArray pieces)
            {
                // Unigram: [piece, score]; the scores went through spiece.model's float32, so they agree to float32's precision.
                var writtenPieces = writtenModel["vocab"]!.AsArray();
                Assert.Equal(pieces.Count, writtenPieces.Count);
                for (int i = 0; i < pieces.Count; i++)
                {
                    Assert.Equal(pieces[i]![0]!.GetValue<string>(), writtenPieces[i]![0]!.GetValue<string>());
                    Assert.Equal(pieces[i]![1]!.GetValue<double>(), writtenPieces[i]![1]!.GetValue<double>(), 1e-6);
                }
            }
            else
            {
                Assert.True(JsonNode.DeepEquals(value, writtenModel[key]), $"{name}: model.{key} differs from what transformers wrote");
            }
        }
    }

    /// <summary>
    /// The tricky-text fixture with its <c>\uXXXX</c> escapes decoded, each line alone and as pairs of neighbours. (A literal mask token
    /// is left out: TypedBert's ALBERT tokenizer reads "[MASK]" in a text as plain characters, where transformers matches the token.)
    /// </summary>
    static List<object> TrickyTexts()
    {
        var lines = File.ReadAllLines(TestPaths.Fixture("tricky-text.txt"), Encoding.UTF8)
            .Select(l => Regex.Replace(l, @"\\u([0-9A-Fa-f]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString())).ToList();
        Assert.True(lines.Count >= 20);
        return [.. lines, "", "  leading and trailing spaces  ", "[CLS] special [SEP] tokens <s> and </s> in the text",
            .. lines.Zip(lines.Skip(1), (a, b) => (object)new[] { a, b })];
    }

    public static TheoryData<string> Tokenizers() => ["minilm-l6-uncased", "bert", "distilbert", "roberta", "longformer", "albert"];

    [SkippableTheory]
    [MemberData(nameof(Tokenizers))]
    public void Transformers_js_tokenizes_tricky_text_from_the_written_file_as_TypedBert_does(string name)
    {
        TransformersJs.Require();
        var tokenizer = name == "minilm-l6-uncased" ? MiniLm() : FixtureTokenizer(name);
        using var folder = new TemporaryFolder();
        string written = folder.File(name);
        Directory.CreateDirectory(written);
        tokenizer.Save(written);
        File.WriteAllText(Path.Combine(written, "tokenizer.json"), TokenizerJsonWriter.ToJson(tokenizer));
        var texts = TrickyTexts();
        using var js = TransformersJs.Run("tokenize", written, texts);
        var encodings = js.RootElement.GetProperty("encodings").EnumerateArray().ToList();
        Assert.Equal(texts.Count, encodings.Count);
        var mismatches = new List<string>();
        for (int i = 0; i < texts.Count; i++)
        {
            var (text, pair) = texts[i] is string[] both ? (both[0], both[1]) : ((string)texts[i], null);
            var ours = tokenizer.Encode(text, pair, 1 << 20);
            var theirs = encodings[i].GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            if (!ours.InputIds.SequenceEqual(theirs))
                mismatches.Add($"{text}{(pair is null ? "" : " || " + pair)}\n  TypedBert:       {string.Join(' ', ours.InputIds)}\n  transformers.js: {string.Join(' ', theirs)}");
            else if (encodings[i].GetProperty("token_type_ids") is { ValueKind: System.Text.Json.JsonValueKind.Array } types
                     && !ours.TokenTypeIds.SequenceEqual(types.EnumerateArray().Select(e => e.GetInt32())))
                mismatches.Add($"{text} || {pair}: token type ids differ");
        }
        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} of {texts.Count} texts differ\n{string.Join("\n", mismatches)}");
    }

    [SkippableFact]
    public void Transformers_js_gives_transformers_ids_for_MiniLM_from_the_written_file()
    {
        TransformersJs.Require();
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture(Path.Combine("transformers-ids", "tricky-text.json"))));
        var lines = expected.RootElement.GetProperty("lines").EnumerateArray()
            .Select(l => (Text: l.GetProperty("text").GetString()!, Ids: l.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray())).ToList();
        var tokenizer = MiniLm();
        using var folder = new TemporaryFolder();
        string written = folder.File("minilm");
        Directory.CreateDirectory(written);
        tokenizer.Save(written);
        File.WriteAllText(Path.Combine(written, "tokenizer.json"), TokenizerJsonWriter.ToJson(tokenizer));
        using var js = TransformersJs.Run("tokenize", written, lines.Select(l => (object)l.Text));
        var encodings = js.RootElement.GetProperty("encodings").EnumerateArray().Select(e => e.GetProperty("input_ids").EnumerateArray().Select(i => i.GetInt32()).ToArray()).ToList();
        var mismatches = lines.Zip(encodings).Where(p => !p.First.Ids.SequenceEqual(p.Second))
            .Select(p => $"{p.First.Text}\n  transformers:    {string.Join(' ', p.First.Ids)}\n  transformers.js: {string.Join(' ', p.Second)}").ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    static ITextTokenizer MiniLm()
    {
        using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", ["a", "b"]);
        return classifier.Tokenizer;
    }
}
