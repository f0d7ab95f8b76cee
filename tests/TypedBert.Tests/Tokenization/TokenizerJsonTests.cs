using TypedBert.Tokenization;

namespace TypedBert.Tests.Tokenization;

/// <summary>
/// Folders whose only tokenizer file is tokenizer.json (what transformers 5 saves). Equality with transformers' ids on such folders
/// is <see cref="Variants.PythonFixtureTests"/>; these tests cover the conversions' own rules and their errors.
/// </summary>
public sealed class TokenizerJsonTests
{
    [Fact]
    public void A_wordpiece_tokenizer_json_gives_the_ids_of_the_equivalent_vocab_txt()
    {
        using var folder = new TemporaryFolder();
        string[] vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "film", "##s", "good", "."];
        // Ids deliberately out of file order: the vocabulary must be rebuilt by id.
        var entries = vocabulary.Select((token, id) => (token, id)).Reverse().Select(e => $"\"{e.token}\": {e.id}");
        File.WriteAllText(folder.File("tokenizer.json"),
            $"{{\"model\": {{\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"vocab\": {{{string.Join(", ", entries)}}}}}}}");
        var fromJson = BertTokenizer.FromDirectory(folder.Path);

        using var reference = new TemporaryFolder();
        File.WriteAllLines(reference.File("vocab.txt"), vocabulary);
        var fromVocab = BertTokenizer.FromDirectory(reference.Path);

        Assert.Equal([2, 5, 6, 7, 8, 9, 1, 3], fromJson.Encode("The films good. Zebra").InputIds);
        Assert.Equal(fromVocab.Encode("The films good. Zebra").InputIds, fromJson.Encode("The films good. Zebra").InputIds);

        using var saved = new TemporaryFolder();
        fromJson.Save(saved.Path);
        Assert.Equal(vocabulary, File.ReadAllLines(saved.File("vocab.txt")));
    }

    [Fact]
    public void Byte_level_merges_are_read_in_both_of_the_tokenizers_library_formats()
    {
        foreach (string merges in new[] { "[\"h e\", \"he l\"]", "[[\"h\", \"e\"], [\"he\", \"l\"]]" })
        {
            using var folder = new TemporaryFolder();
            File.WriteAllText(folder.File("tokenizer.json"),
                "{\"model\": {\"type\": \"BPE\", \"vocab\": {\"<s>\": 0, \"<pad>\": 1, \"</s>\": 2, \"<unk>\": 3, \"<mask>\": 4, \"h\": 5, \"e\": 6, \"l\": 7, \"he\": 8, \"hel\": 9}, "
                + $"\"merges\": {merges}}}}}");
            var tokenizer = ByteLevelBpeTokenizer.FromDirectory(folder.Path);
            Assert.Equal([0, 9, 7, 2], tokenizer.Encode("hell").InputIds);
        }
    }

    [Fact]
    public void A_model_of_another_kind_is_refused_with_the_file_and_the_field_named()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}");
        var error = Assert.Throws<InvalidDataException>(() => BertTokenizer.FromDirectory(folder.Path));
        Assert.Contains(folder.File("tokenizer.json"), error.Message);
        Assert.Contains("model.type is \"BPE\"", error.Message);
        Assert.Contains("WordPiece", error.Message);
    }

    [Fact]
    public void Two_tokens_with_one_id_are_refused()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"[PAD]\": 0, \"[UNK]\": 0}}}");
        var error = Assert.Throws<InvalidDataException>(() => BertTokenizer.FromDirectory(folder.Path));
        Assert.Contains("model.vocab gives id 0 to \"[UNK]\"", error.Message);
    }

    [Fact]
    public void Without_vocab_txt_or_tokenizer_json_the_missing_vocab_txt_is_named()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<FileNotFoundException>(() => BertTokenizer.FromDirectory(folder.Path));
        Assert.Contains(folder.File("vocab.txt"), error.Message);
    }
}
