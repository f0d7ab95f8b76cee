using System.Text;
using TypedBert.Pretrained;
using TypedBert.Tokenization;
using FastTokenizer = FastBertTokenizer.BertTokenizer;

namespace TypedBert.Tests.Tokenization;

public sealed class BertTokenizerTests
{
    static readonly Lazy<string> ModelFolder = new(() => PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName));
    static readonly Lazy<BertTokenizer> Tokenizer = new(() => BertTokenizer.FromDirectory(ModelFolder.Value));
    static readonly Lazy<FastTokenizer> Reference = new(() =>
    {
        var reference = new FastTokenizer();
        using var reader = new StreamReader(Path.Combine(ModelFolder.Value, "vocab.txt"));
        reference.LoadVocabulary(reader, convertInputToLowercase: true);
        return reference;
    });

    static long[] ReferenceIds(string text)
    {
        var (ids, _, _) = Reference.Value.Encode(text, maximumTokens: 100_000);
        return ids.ToArray();
    }

    static long[] OurIds(string text) => Tokenizer.Value.Encode(text, maxLength: 100_000).InputIds.Select(i => (long)i).ToArray();

    [Fact]
    public void Known_ids_from_the_uncased_vocabulary()
    {
        Assert.Equal([101, 2023, 3185, 2001, 7078, 10392, 999, 23653, 1012, 102], Tokenizer.Value.Encode("This movie was absolutely fantastic! Unbelievable.").InputIds);
        // Hugging Face strips accents whenever it lowercases: "cafe naive resume", not three [UNK]s.
        Assert.Equal([101, 7668, 15743, 13746, 102], Tokenizer.Value.Encode("Café naïve résumé").InputIds);
        Assert.Equal([101, 102], Tokenizer.Value.Encode("").InputIds);
    }

    [Fact]
    public void Tricky_text_matches_FastBertTokenizer()
    {
        var lines = File.ReadAllLines(TestPaths.Fixture("tricky-text.txt"), Encoding.UTF8)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\\u([0-9A-Fa-f]{4})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 16)).ToString()))
            .ToList();
        Assert.True(lines.Count >= 20);
        var mismatches = lines.Where(l => !OurIds(l).SequenceEqual(ReferenceIds(l)))
            .Select(l => $"{l}\n  ours:      {string.Join(' ', OurIds(l))}\n  reference: {string.Join(' ', ReferenceIds(l))}").ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Fact]
    public void Tricky_text_matches_transformers()
    {
        // Ids of transformers' BertTokenizer on the same vocab.txt (tests/fixtures/generate.py --tokenizer-vocab, transformers 5.17).
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestPaths.Fixture(Path.Combine("transformers-ids", "tricky-text.json"))));
        var lines = expected.RootElement.GetProperty("lines").EnumerateArray().ToList();
        Assert.True(lines.Count >= 20);
        var mismatches = lines
            .Select(l => (Text: l.GetProperty("text").GetString()!, Python: l.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt64()).ToArray()))
            .Where(l => !OurIds(l.Text).SequenceEqual(l.Python))
            .Select(l => $"{l.Text}\n  ours:         {string.Join(' ', OurIds(l.Text))}\n  transformers: {string.Join(' ', l.Python)}").ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [SkippableTheory]
    [InlineData("sst2/train.tsv")]
    [InlineData("sst2/dev.tsv")]
    [InlineData("sst2/test.tsv")]
    [InlineData("agnews/train.tsv")]
    [InlineData("agnews/test.tsv")]
    public void Every_row_of_the_shared_data_matches_FastBertTokenizer(string file)
    {
        string path = Path.Combine(TestPaths.RequireSharedData(), file);
        var texts = File.ReadLines(path).Skip(1).Select(line => line[..line.LastIndexOf('\t')]).ToList();
        Assert.NotEmpty(texts);
        var mismatches = texts.Where(t => !OurIds(t).SequenceEqual(ReferenceIds(t))).Take(5).ToList();
        Assert.True(mismatches.Count == 0, $"{file}: first mismatches:\n" + string.Join("\n", mismatches.Select(t =>
            $"{t}\n  ours:      {string.Join(' ', OurIds(t))}\n  reference: {string.Join(' ', ReferenceIds(t))}")));
    }

    [Fact]
    public void Special_tokens_written_in_the_text_become_special_ids()
    {
        // Hugging Face (split_special_tokens=False, its default) keeps "[SEP]" in a text as the [SEP] id; FastBertTokenizer
        // does not (it gives [UNK] for some and splits "[MASK]" into "[ mask ]"), so this case is checked against HF's ids.
        Assert.Equal([101, 101, 18204, 2569, 19204, 2015, 102, 103, 0, 100, 102],
            Tokenizer.Value.Encode("[CLS] literal special tokens [SEP] [MASK] [PAD] [UNK]").InputIds);
        Assert.Equal([101, 1031, 18856, 2015, 1033, 102], Tokenizer.Value.Encode("[cls]").InputIds); // only the exact spelling is special
    }

    [Fact]
    public void Pairs_get_token_type_ids_and_one_separator_each()
    {
        var encoded = Tokenizer.Value.Encode("how old is it", "very old");
        var tokens = Tokenizer.Value;
        Assert.Equal(tokens.ClsTokenId, encoded.InputIds[0]);
        Assert.Equal(2, encoded.InputIds.Count(id => id == tokens.SepTokenId));
        int firstSep = Array.IndexOf(encoded.InputIds, tokens.SepTokenId);
        Assert.All(encoded.TokenTypeIds[..(firstSep + 1)], t => Assert.Equal(0, t));
        Assert.All(encoded.TokenTypeIds[(firstSep + 1)..], t => Assert.Equal(1, t));
    }

    [Fact]
    public void Truncation_keeps_the_special_tokens_and_trims_the_longer_text_first()
    {
        var tokens = Tokenizer.Value;
        string longText = string.Join(' ', Enumerable.Repeat("word", 50));
        var single = tokens.Encode(longText, maxLength: 10);
        Assert.Equal(10, single.Length);
        Assert.True(single.Truncated);
        Assert.Equal(tokens.SepTokenId, single.InputIds[^1]);

        var pair = tokens.Encode(longText, "short pair", maxLength: 12);
        Assert.Equal(12, pair.Length);
        Assert.Equal(2 + 1, pair.TokenTypeIds.Count(t => t == 1)); // "short pair" survives whole, plus its [SEP]
        Assert.False(tokens.Encode("short", maxLength: 10).Truncated);
    }

    [Fact]
    public void Batches_are_padded_to_their_longest_member_with_a_zero_mask()
    {
        var batch = Tokenizer.Value.EncodeBatch(["one", "one two three four"]);
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal(6, batch.SequenceLength);
        Assert.Equal([3, 6], batch.Lengths);
        Assert.Equal([1L, 1, 1, 0, 0, 0], batch.AttentionMask[..6]);
        Assert.Equal(Tokenizer.Value.PadTokenId, batch.InputIds[5]);
        using var tensors = batch.ToTensors();
        Assert.Equal(new long[] { 2, 6 }, tensors.InputIds.shape);
        Assert.Equal(TorchSharp.torch.ScalarType.Int64, tensors.AttentionMask.dtype);
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Value.Encode(null!));
    }
}
