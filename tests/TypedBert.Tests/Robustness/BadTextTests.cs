using System.Text;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Robustness;

/// <summary>Hostile or odd text gets a defined result or a documented exception, never a crash.</summary>
public sealed class BadTextTests : IClassFixture<BadTextTests.Shared>
{
    public sealed class Shared : IDisposable
    {
        public TextClassifier Classifier { get; } = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]);
        public void Dispose() => Classifier.Dispose();
    }

    readonly TextClassifier classifier;

    public BadTextTests(Shared shared) => classifier = shared.Classifier;

    static void AssertValid(Prediction prediction)
    {
        Assert.All(prediction.Scores, s => Assert.True(float.IsFinite(s) && s >= 0 && s <= 1));
        Assert.Equal(1f, prediction.Scores.Sum(), 4);
    }

    public static TheoryData<string, string> OddTexts() => new()
    {
        { "empty", "" },
        { "whitespace", " \t\r\n\u00A0\u2003 " },
        { "unpaired high surrogate", "abc\uD83D def" },
        { "unpaired low surrogate", "\uDE00 alone" },
        { "NUL and controls", "a\0b\u0001c\u007F\u0085d\u200B\uFEFF" },
        { "right-to-left", "\u202Eevil\u202C مرحبا שלום" },
        { "combining pile-up", "e" + new string('\u0301', 500) },
        { "emoji sequences", "👩‍👩‍👧‍👦🏳️‍🌈🇯🇵 1️⃣" },
        { "private use and unassigned", "\uE000\uF8FF\U0010FFFF\U000E0001" },
        { "only punctuation", string.Concat(Enumerable.Repeat("!?.,;:", 100)) },
    };

    [Theory]
    [MemberData(nameof(OddTexts))]
    public void Odd_text_gets_a_prediction(string name, string text)
    {
        var prediction = classifier.Predict(text);
        AssertValid(prediction);
        Assert.True(classifier.Tokenizer.Encode(text).Length >= 2, name);
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => classifier.Predict(null!));
        Assert.Throws<ArgumentNullException>(() => classifier.PredictBatch(["fine", null!]));
    }

    [Fact]
    public void A_ten_megabyte_text_is_truncated_or_windowed()
    {
        string huge = string.Concat(Enumerable.Repeat("a long review of a film that goes on and on ", 10 * 1024 * 1024 / 44));
        Assert.True(huge.Length >= 10_000_000);
        var truncated = classifier.Predict(huge);
        AssertValid(truncated);
        Assert.Equal(1, truncated.Windows);
    }

    [Fact]
    public void Ten_thousand_random_strings_tokenize_and_predict()
    {
        var random = new Random(20261126);
        // Code points from every troublesome range: ASCII, controls, Latin with accents, combining marks, CJK, Hangul,
        // right-to-left, emoji, lone surrogates, private use, noncharacters.
        int[][] ranges =
        [
            [0x20, 0x7E], [0x00, 0x1F], [0xC0, 0x24F], [0x300, 0x36F], [0x4E00, 0x4FFF], [0xAC00, 0xAD00], [0x590, 0x6FF],
            [0x1F300, 0x1F64F], [0xD800, 0xDFFF], [0xE000, 0xE0FF], [0xFFF0, 0xFFFF], [0x2000, 0x206F],
        ];
        var texts = new List<string>();
        var builder = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            builder.Clear();
            int length = random.Next(0, 24);
            for (int j = 0; j < length; j++)
            {
                var range = ranges[random.Next(ranges.Length)];
                int codePoint = random.Next(range[0], range[1] + 1);
                if (codePoint is >= 0xD800 and <= 0xDFFF) builder.Append((char)codePoint); // a lone surrogate, on purpose
                else builder.Append(char.ConvertFromUtf32(codePoint));
            }
            texts.Add(builder.ToString());
        }
        foreach (var text in texts)
        {
            var ids = classifier.Tokenizer.Encode(text).InputIds;
            Assert.All(ids, id => Assert.InRange(id, 0, classifier.Tokenizer.VocabularySize - 1));
        }
        using var batched = classifier.WithSettings(classifier.Settings with { BatchSize = 128 });
        var predictions = batched.PredictBatch(texts);
        Assert.Equal(texts.Count, predictions.Count);
        Assert.All(predictions, AssertValid);
    }
}
