using System.Reflection;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Classification;

/// <summary>Prediction settings are given at load and fixed: classifiers over one set of weights predict with their own settings, also at once.</summary>
public sealed class PredictionSettingsTests
{
    // Words the uncased WordPiece vocabulary holds whole, so that a text of n words is n tokens.
    static readonly string[] Words = ["the", "film", "was", "good", "and", "plot", "thin", "but", "acting", "great", "story", "slow", "very", "dull", "fun"];

    static List<string> Texts()
    {
        var random = new Random(11);
        return [.. Enumerable.Range(0, 24).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(12, 40)).Select(_ => Words[random.Next(Words.Length)])))];
    }

    static void AssertSameLogits(IReadOnlyList<Prediction> expected, IReadOnlyList<Prediction> actual, string who)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            for (int j = 0; j < expected[i].Logits.Length; j++)
                Assert.True(Math.Abs(expected[i].Logits[j] - actual[i].Logits[j]) < 1e-4, $"{who}, text {i}, logit {j}: expected {expected[i].Logits[j]}, got {actual[i].Logits[j]}");
    }

    [Fact]
    public void Concurrent_predictions_with_different_max_lengths_each_read_as_their_own_settings_say()
    {
        using var folder = new TemporaryFolder();
        using (var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"], seed: 3)) created.Save(folder.Path);
        using var whole = TextClassifier.Load(folder.Path, new PredictionSettings { MaxLength = 64, Precision = InferencePrecision.Float32 });
        using var eight = whole.WithSettings(whole.Settings with { MaxLength = 8 }); // the same weights, reading 8 tokens
        Assert.Equal((64, 8), (whole.MaxLength, eight.MaxLength));
        var texts = Texts();
        Assert.All(Words, word => Assert.Single(whole.Tokenizer.Tokenize(word)));

        // Independent oracles: 8 tokens are [CLS], the first six words and [SEP], so the eight-token reader must score each text as a
        // default classifier scores its first six words; and texts under 62 words are read whole by a default classifier.
        using var reference = TextClassifier.Load(folder.Path, new PredictionSettings { Precision = InferencePrecision.Float32 });
        var expectedEight = reference.PredictBatch([.. texts.Select(t => string.Join(' ', t.Split(' ').Take(6)))]);
        var expectedWhole = reference.PredictBatch(texts);
        int differing = Enumerable.Range(0, texts.Count).Count(i => Math.Abs(expectedEight[i].Logits[0] - expectedWhole[i].Logits[0]) > 1e-3);
        Assert.True(differing > texts.Count / 2, $"only {differing} texts score differently at 8 tokens: a mix-up would not show");

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            for (int round = 0; round < 6; round++)
            {
                bool short8 = (thread + round) % 2 == 0;
                var classifier = short8 ? eight : whole;
                var expected = short8 ? expectedEight : expectedWhole;
                try
                {
                    AssertSameLogits(expected, classifier.PredictBatch(texts), $"thread {thread} round {round} ({classifier.MaxLength} tokens)");
                    int one = (thread * 7 + round) % texts.Count;
                    AssertSameLogits([expected[one]], [classifier.Predict(texts[one])], $"thread {thread} single text {one}");
                }
                catch (Exception e) when (e is Xunit.Sdk.XunitException)
                {
                    failures.Enqueue(e.Message);
                }
            }
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void A_copy_keeps_the_weights_alive_after_the_first_is_disposed_and_the_settings_are_validated()
    {
        using var folder = new TemporaryFolder();
        var first = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]);
        var copy = first.WithSettings(new PredictionSettings { BatchSize = 2 });
        Assert.Throws<ArgumentOutOfRangeException>(() => first.WithSettings(new PredictionSettings { BatchSize = 0 }));
        var before = copy.Predict("a good film").Logits;
        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.WithSettings(new PredictionSettings()));
        Assert.Equal(before, copy.Predict("a good film").Logits);
        Assert.Equal((2, 32), (copy.BatchSize, new PredictionSettings().BatchSize));
        copy.Dispose();
    }

    [Theory]
    [InlineData(nameof(TextClassifier.MaxLength))]
    [InlineData(nameof(TextClassifier.BatchSize))]
    [InlineData(nameof(TextClassifier.LongText))]
    [InlineData(nameof(TextClassifier.Precision))]
    [InlineData(nameof(TextClassifier.Engine))]
    public void The_old_setters_are_compile_errors_that_say_what_to_write(string property)
    {
        var setter = typeof(TextClassifier).GetProperty(property)!.SetMethod!;
        var obsolete = setter.GetCustomAttribute<ObsoleteAttribute>();
        Assert.NotNull(obsolete);
        Assert.True(obsolete.IsError);
        Assert.Contains($"write TextClassifier.Load(path, new PredictionSettings {{ {property} = ... }}) instead", obsolete.Message);
    }
}
