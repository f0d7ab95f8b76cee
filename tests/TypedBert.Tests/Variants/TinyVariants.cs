using System.Text.Json;
using System.Text.RegularExpressions;
using TorchSharp;
using TypedBert.Tokenization;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Modeling;
using TypedBert.Modeling.Albert;
using TypedBert.Modeling.Bert;
using TypedBert.Modeling.DistilBert;
using TypedBert.Modeling.Longformer;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>
/// Tiny randomly initialised base models of every family (2 layers, hidden 32, 4 heads, intermediate 37) written as Hugging Face
/// folders: config.json, model.safetensors under the family's prefix, and tokenizer files built from the sentiment examples' words.
/// </summary>
internal static partial class TinyVariants
{
    public const int MaxTokens = 64;

    public static string SentimentFile(string name) => Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", name);

    static readonly Lazy<string[]> Words = new(() =>
        File.ReadLines(SentimentFile("train.tsv")).Skip(1)
            .SelectMany(line => WordPattern().Matches(line.Split('\t')[0].ToLowerInvariant()).Select(m => m.Value))
            .GroupBy(w => w).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(300).Select(g => g.Key).ToArray());

    [GeneratedRegex("[a-z]+")]
    private static partial Regex WordPattern();

    public static EncoderConfig Config(ModelFamily family, int vocabSize)
    {
        var common = new EncoderConfig
        {
            ModelType = family.ModelType, VocabSize = vocabSize, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 37,
            MaxPositionEmbeddings = MaxTokens, HiddenDropoutProb = 0, AttentionProbsDropoutProb = 0,
        };
        if (family == ModelFamily.DistilBert) return common with { TypeVocabSize = 0 };
        if (family == ModelFamily.Albert)
            return common with { HiddenAct = "gelu_new", Extra = new() { ["embedding_size"] = JsonSerializer.SerializeToElement(16) } };
        if (family == ModelFamily.Roberta) return common with { PadTokenId = 1, TypeVocabSize = 1, MaxPositionEmbeddings = MaxTokens + 2, LayerNormEps = 1e-5 };
        if (family == ModelFamily.Longformer)
            return common with { PadTokenId = 1, TypeVocabSize = 1, MaxPositionEmbeddings = MaxTokens + 2, LayerNormEps = 1e-5,
                Extra = new() { ["attention_window"] = JsonSerializer.SerializeToElement(new[] { 8, 8 }) } };
        return common;
    }

    public static nn.Module Encoder(EncoderConfig config) => config.ModelType switch
    {
        "distilbert" => new DistilBertModel(config),
        "albert" => new AlbertModel(config),
        "longformer" => new LongformerModel(config),
        _ => new BertModel(config),
    };

    /// <summary>Writes a base model of <paramref name="family"/> into <paramref name="directory"/>.</summary>
    public static void Write(ModelFamily family, string directory, long seed = 7)
    {
        Directory.CreateDirectory(directory);
        int vocabSize = family.Tokenizer switch
        {
            TokenizerKind.ByteLevelBpe => WriteByteLevelBpe(directory),
            TokenizerKind.SentencePiece => WriteSentencePiece(directory),
            _ => WriteWordPiece(directory),
        };
        var config = Config(family, vocabSize);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJson());
        manual_seed(seed);
        using var encoder = Encoder(config);
        SafeTensorsWriter.Write(Path.Combine(directory, "model.safetensors"), StateDict.Named(encoder, family.EncoderPrefix));
    }

    static int WriteWordPiece(string directory)
    {
        var letters = Enumerable.Range('a', 26).Select(c => ((char)c).ToString()).ToList();
        var vocabulary = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        vocabulary.AddRange(letters);
        vocabulary.AddRange(letters.Select(l => "##" + l));
        vocabulary.AddRange(".,!?'-".Select(c => c.ToString()));
        vocabulary.AddRange(Words.Value.Where(w => w.Length > 1));
        File.WriteAllLines(Path.Combine(directory, "vocab.txt"), vocabulary);
        return vocabulary.Count;
    }

    /// <summary>GPT-2 style files: the 256 byte symbols, and merges that build the frequent words (with and without a leading space) left to right.</summary>
    static int WriteByteLevelBpe(string directory)
    {
        var vocabulary = new Dictionary<string, int>();
        void Add(string token) => vocabulary.TryAdd(token, vocabulary.Count);
        foreach (var special in new[] { "<s>", "<pad>", "</s>", "<unk>" }) Add(special);
        foreach (var symbol in ByteLevelAlphabet.ByteToChar) Add(symbol);
        var merges = new List<string>();
        foreach (var word in Words.Value.SelectMany(w => new[] { w, " " + w }))
        {
            string spelled = ByteLevelAlphabet.Spell(word);
            string current = spelled[..1];
            for (int i = 1; i < spelled.Length; i++)
            {
                string next = current + spelled[i];
                if (!vocabulary.ContainsKey(next))
                {
                    merges.Add($"{current} {spelled[i]}");
                    Add(next);
                }
                current = next;
            }
        }
        Add("<mask>");
        File.WriteAllText(Path.Combine(directory, "vocab.json"), JsonSerializer.Serialize(vocabulary));
        File.WriteAllText(Path.Combine(directory, "merges.txt"), "#version: 0.2\n" + string.Join('\n', merges) + "\n");
        return vocabulary.Count;
    }

    static int WriteSentencePiece(string directory)
    {
        var pieces = new List<(string, float, SentencePieceModelWriter.PieceType)>
        {
            ("<pad>", 0, SentencePieceModelWriter.PieceType.Control), ("<unk>", 0, SentencePieceModelWriter.PieceType.Unknown),
            ("[CLS]", 0, SentencePieceModelWriter.PieceType.Control), ("[SEP]", 0, SentencePieceModelWriter.PieceType.Control),
            ("[MASK]", 0, SentencePieceModelWriter.PieceType.UserDefined), ("▁", -3, SentencePieceModelWriter.PieceType.Normal),
        };
        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789.,!?'-") pieces.Add((c.ToString(), -8, SentencePieceModelWriter.PieceType.Normal));
        foreach (var word in Words.Value.Where(w => w.Length > 1)) pieces.Add(("▁" + word, -5, SentencePieceModelWriter.PieceType.Normal));
        File.WriteAllBytes(Path.Combine(directory, "spiece.model"), SentencePieceModelWriter.Unigram(pieces, unkId: 1, bosId: 2, eosId: 3, padId: 0));
        return pieces.Count;
    }

    /// <summary>The first <paramref name="count"/> rows of the shipped sentiment training set.</summary>
    public static List<TrainingExample> Sentiment(int count, out LabelSet labels)
    {
        var rows = DataFile.Read(SentimentFile("train.tsv"), new DataColumns()).Take(count).ToList();
        labels = LabelSet.FromRows(rows, multiLabel: false);
        return TrainingExample.FromRows(rows, labels, global::TypedBert.Classification.ProblemType.SingleLabel);
    }
}
