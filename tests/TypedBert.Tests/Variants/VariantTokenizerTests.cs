using System.Text.Json;
using TypedBert.Tokenization;

namespace TypedBert.Tests.Variants;

/// <summary>The byte-level BPE and SentencePiece tokenizers on small hand-made files whose ids can be worked out by hand.</summary>
public sealed class VariantTokenizerTests
{
    // Byte b is spelled ByteLevelAlphabet.ByteToChar[b] and has id 4 + b; merges build "hello" and " world".
    static int Byte(char c) => 4 + c;
    const int Hello = 263, SpaceWorld = 268, Ll = 261, Mask = 269;

    static ByteLevelBpeTokenizer Bpe(TemporaryFolder folder, bool? addPrefixSpace = null)
    {
        var vocabulary = new Dictionary<string, int> { ["<s>"] = 0, ["<pad>"] = 1, ["</s>"] = 2, ["<unk>"] = 3 };
        foreach (var symbol in ByteLevelAlphabet.ByteToChar) vocabulary.Add(symbol, vocabulary.Count);
        string[] merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "Ġw o", "Ġwo r", "Ġwor l", "Ġworl d"];
        foreach (var merge in merges) vocabulary.Add(merge.Replace(" ", ""), vocabulary.Count);
        vocabulary.Add("<mask>", vocabulary.Count);
        File.WriteAllText(folder.File("vocab.json"), JsonSerializer.Serialize(vocabulary));
        File.WriteAllText(folder.File("merges.txt"), "#version: 0.2\n" + string.Join("\n", merges) + "\n");
        if (addPrefixSpace is bool prefix) File.WriteAllText(folder.File("tokenizer_config.json"), $$"""{"add_prefix_space": {{(prefix ? "true" : "false")}}}""");
        return ByteLevelBpeTokenizer.FromDirectory(folder.Path);
    }

    [Fact]
    public void Byte_level_bpe_frames_texts_and_pairs_as_roberta_does()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = Bpe(folder);
        Assert.False(tokenizer.AddPrefixSpace);
        Assert.Equal([0, Hello, SpaceWorld, 2], tokenizer.Encode("hello world").InputIds);
        var pair = tokenizer.Encode("hello", "world");
        Assert.Equal([0, Hello, 2, 2, Byte('w'), Byte('o'), Byte('r'), Byte('l'), Byte('d'), 2], pair.InputIds);
        Assert.All(pair.TokenTypeIds, t => Assert.Equal(0, t));
        Assert.Equal([Byte('h'), 4 + 0xC3, 4 + 0xA9, Ll, Byte('o')], tokenizer.Tokenize("héllo")); // é is the bytes C3 A9
        Assert.Equal([Hello, 2, Byte(' '), Mask], tokenizer.Tokenize("hello</s> <mask>"));
        Assert.Equal(1, tokenizer.PadTokenId);
    }

    [Fact]
    public void Byte_level_bpe_truncates_pairs_longest_first_and_adds_a_prefix_space_only_when_configured()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = Bpe(folder);
        var truncated = tokenizer.Encode("hello hello hello hello", "world", maxLength: 8);
        Assert.True(truncated.Truncated);
        Assert.Equal(8, truncated.Length);
        // 7 + 5 tokens into 4: the first text down to the second's 5, then one from each in turn, as transformers' longest_first.
        Assert.Equal([0, Hello, Byte(' '), 2, 2, Byte('w'), Byte('o'), 2], truncated.InputIds);

        using var prefixed = new TemporaryFolder();
        Assert.Equal([0, SpaceWorld, 2], Bpe(prefixed, addPrefixSpace: true).Encode("world").InputIds);
    }

    static SentencePieceTextTokenizer SentencePiece(TemporaryFolder folder, string? config = null)
    {
        var pieces = new List<(string, float, SentencePieceModelWriter.PieceType)>
        {
            ("<pad>", 0, SentencePieceModelWriter.PieceType.Control), ("<unk>", 0, SentencePieceModelWriter.PieceType.Unknown),
            ("[CLS]", 0, SentencePieceModelWriter.PieceType.Control), ("[SEP]", 0, SentencePieceModelWriter.PieceType.Control),
            ("[MASK]", 0, SentencePieceModelWriter.PieceType.UserDefined), ("▁", -3, SentencePieceModelWriter.PieceType.Normal),
            ("▁hello", -5, SentencePieceModelWriter.PieceType.Normal), ("▁world", -5, SentencePieceModelWriter.PieceType.Normal),
            ("▁cafe", -5, SentencePieceModelWriter.PieceType.Normal), ("\"", -6, SentencePieceModelWriter.PieceType.Normal),
        };
        foreach (var c in "abcdefghijklmnopqrstuvwxyz") pieces.Add((c.ToString(), -8, SentencePieceModelWriter.PieceType.Normal));
        File.WriteAllBytes(folder.File("spiece.model"), SentencePieceModelWriter.Unigram(pieces, unkId: 1, bosId: 2, eosId: 3, padId: 0));
        if (config is not null) File.WriteAllText(folder.File("tokenizer_config.json"), config);
        return SentencePieceTextTokenizer.FromDirectory(folder.Path);
    }

    [Fact]
    public void SentencePiece_lowercases_strips_accents_collapses_spaces_and_frames_pairs_as_albert_does()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = SentencePiece(folder);
        Assert.True(tokenizer.DoLowerCase);
        Assert.False(tokenizer.KeepAccents);
        Assert.Equal([2, 6, 7, 3], tokenizer.Encode("  Hello \t  WORLD ").InputIds);
        Assert.Equal([8], tokenizer.Tokenize("Café"));
        var pair = tokenizer.Encode("hello", "world");
        Assert.Equal([2, 6, 3, 7, 3], pair.InputIds);
        Assert.Equal([0, 0, 0, 1, 1], pair.TokenTypeIds);
        Assert.Equal([6, 4, 7], tokenizer.Tokenize("hello[MASK] world"));
        Assert.Equal(0, tokenizer.PadTokenId);
    }

    [Fact]
    public void SentencePiece_keeps_case_and_accents_when_the_tokenizer_config_says_so()
    {
        using var folder = new TemporaryFolder();
        var tokenizer = SentencePiece(folder, """{"do_lower_case": false, "keep_accents": true}""");
        Assert.NotEqual([6], tokenizer.Tokenize("Hello")); // "▁hello" is lowercase only
        Assert.NotEqual([8], tokenizer.Tokenize("café")); // é is kept, so "▁cafe" does not match
        Assert.Equal([8], tokenizer.Tokenize("cafe"));
    }
}
