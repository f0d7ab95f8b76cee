using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Classification;

/// <summary>The long-text pieces without training: settings and their ranges, head+tail and window encoding, aggregation, sampling, config.json.</summary>
public class LongTextTests
{
    static TextClassifier NewClassifier() => TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]);

    [Fact]
    public void Settings_out_of_range_are_refused_with_the_allowed_range()
    {
        var stride = Assert.Throws<ArgumentException>(() =>
            LongTextSettings.Resolve(new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 128, Stride = 128 }, 512, 512));
        Assert.Contains("stride 128 is out of range: it must be between 1 and the window's 126 content tokens", stride.Message);
        var zero = Assert.Throws<ArgumentException>(() => LongTextSettings.Resolve(new LongTextOptions { Stride = 0 }, 64, 512));
        Assert.Contains("between 1 and the window's 62", zero.Message);
        var window = Assert.Throws<ArgumentException>(() => LongTextSettings.Resolve(new LongTextOptions { WindowTokens = 1024 }, 512, 512));
        Assert.Contains("between 3 and the model's 512 positions", window.Message);
        var head = Assert.Throws<ArgumentException>(() =>
            LongTextSettings.Resolve(new LongTextOptions { Strategy = LongTextStrategy.HeadTail, WindowTokens = 64, HeadTokens = 63 }, 512, 512));
        Assert.Contains("between 0 and 62", head.Message);
        Assert.Throws<ArgumentException>(() => LongTextSettings.Resolve(new LongTextOptions { MaxWindowsPerDocument = 0 }, 512, 512));

        // Defaults: the window is the maximum length, the stride half its content, the head a quarter of it.
        var resolved = LongTextSettings.Resolve(new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow }, 130, 512);
        Assert.Equal((130, 64, 32), (resolved.Window, resolved.Stride, resolved.Head));
    }

    [Fact]
    public void Head_tail_keeps_the_first_and_last_tokens_and_windows_cover_the_whole_text()
    {
        using var classifier = NewClassifier();
        var tokenizer = classifier.Tokenizer;
        string text = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i % 10}"));
        var ids = tokenizer.Tokenize(text);
        var headTail = new LongTextEncoder(tokenizer, LongTextSettings.Resolve(
            new LongTextOptions { Strategy = LongTextStrategy.HeadTail, WindowTokens = 34, HeadTokens = 10 }, 512, 512)).Encode(text).Single();
        Assert.Equal(34, headTail.Length);
        Assert.Equal([tokenizer.ClsTokenId, .. ids.Take(10), .. ids.Skip(ids.Count - 22), tokenizer.SepTokenId], headTail.InputIds);

        var windowEncoder = new LongTextEncoder(tokenizer, LongTextSettings.Resolve(
            new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 34, Stride = 32, MinimumWindowTokens = 1 }, 512, 512));
        var windows = windowEncoder.Encode(text);
        // Non-overlapping windows (stride = content) give back every token once, in order.
        Assert.Equal(ids, windows.SelectMany(w => w.InputIds[1..^1]));
        Assert.Equal(windows.Count, windowEncoder.CountInputs(text));

        // An empty text still gets one window, with every strategy.
        foreach (var strategy in Enum.GetValues<LongTextStrategy>())
            Assert.Single(new LongTextEncoder(tokenizer, LongTextSettings.Resolve(new LongTextOptions { Strategy = strategy }, 64, 512)).Encode(""));
        Assert.Equal(1, windowEncoder.CountInputs(""));
    }

    [Fact]
    public void Aggregation_mean_max_and_mean_of_probabilities()
    {
        float[][] rows = [[0f, 6f], [2f, 0f], [2f, 0f]];
        Assert.Equal([4f / 3, 2f], WindowAggregator.Aggregate(rows, WindowAggregation.Mean, ProblemType.SingleLabel));
        Assert.Equal([2f, 6f], WindowAggregator.Aggregate(rows, WindowAggregation.Max, ProblemType.SingleLabel));
        // Softmax of the result is the mean of the windows' softmax.
        var meanProbability = WindowAggregator.Aggregate(rows, WindowAggregation.MeanProbability, ProblemType.SingleLabel);
        double p0 = (1 / (1 + Math.Exp(6)) + 2 / (1 + Math.Exp(-2))) / 3;
        Assert.Equal(p0, Math.Exp(meanProbability[0]) / (Math.Exp(meanProbability[0]) + Math.Exp(meanProbability[1])), 5);
        // The mean of logits prefers label 1 (one very confident window); the mean of probabilities prefers label 0 (two windows of three).
        Assert.True(p0 > 0.5);
        Assert.True(meanProbability[0] > meanProbability[1]);
        // Multi-label: sigmoid of the result is the mean of the sigmoids.
        var multi = WindowAggregator.Aggregate(rows, WindowAggregation.MeanProbability, ProblemType.MultiLabel);
        Assert.Equal((1 / (1 + Math.Exp(-6)) + 2 * 0.5) / 3, 1 / (1 + Math.Exp(-multi[1])), 5);
    }

    [Fact]
    public void The_window_cap_draws_at_most_the_cap_per_document_and_a_new_draw_each_epoch()
    {
        int[] document = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2];
        var first = WindowSampler.Select(document, 3, new Random(1));
        Assert.Equal(3 + 1 + 2, first.Length);
        Assert.Equal(WindowSampler.Count(document, 3), first.Length);
        Assert.Equal([10, 11, 12], first[3..]);
        Assert.True(first[..3].All(i => document[i] == 0));
        var draws = Enumerable.Range(2, 10).Select(seed => string.Join(',', WindowSampler.Select(document, 3, new Random(seed))[..3])).Distinct().Count();
        Assert.True(draws > 1, "every epoch drew the same windows");
        Assert.Equal(document.Length, WindowSampler.Select(document, null, new Random(1)).Length);
    }

    [Fact]
    public void The_strategy_is_saved_in_config_json_and_read_back_by_Load()
    {
        using var created = NewClassifier();
        string folder = Directory.CreateTempSubdirectory("typedbert-longtext-").FullName;
        try
        {
            using var classifier = created.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 64, Stride = 40, Aggregation = WindowAggregation.MeanProbability } });
            classifier.Save(folder);
            string json = File.ReadAllText(Path.Combine(folder, "config.json"));
            Assert.Contains("\"typedbert_long_text\": \"window\"", json);
            Assert.Contains("\"typedbert_aggregation\": \"mean-prob\"", json);
            using var loaded = TextClassifier.Load(folder);
            Assert.Equal(classifier.LongTextSettingsFor(null), loaded.LongTextSettingsFor(null));
            string text = string.Concat(Enumerable.Repeat("a long and winding review of a film. ", 40));
            Assert.Equal(classifier.Predict(text).Windows, loaded.Predict(text).Windows);
            Assert.True(loaded.Predict(text).Windows > 1);

            // A default truncation writes no long-text fields, as before.
            using var truncated = created.WithSettings(new PredictionSettings { LongText = new LongTextOptions() });
            truncated.Save(folder);
            Assert.DoesNotContain("typedbert_long_text", File.ReadAllText(Path.Combine(folder, "config.json")));
            using var truncating = TextClassifier.Load(folder);
            Assert.Equal(LongTextStrategy.Truncate, truncating.LongText.Strategy);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_checkpoint_written_before_long_text_settings_resumes_only_a_truncating_run()
    {
        var old = new TypedBert.Training.Checkpoints.RunFingerprint("3:ab", null, 1, 8, 1, 1e-4, 0, 10, 42, 128, false, false, 0, false);
        Assert.Empty(old.Differences(old with { LongText = "truncate window 128 stride 63 head 31 aggregation mean min 16 cap all" }));
        var differences = old.Differences(old with { LongText = "window window 128 stride 63 head 31 aggregation mean min 16 cap 8" });
        Assert.Equal("long text: none in the checkpoint, window window 128 stride 63 head 31 aggregation mean min 16 cap 8 now", Assert.Single(differences));
    }
}
