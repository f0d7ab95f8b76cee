using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.ZeroShot;
using static TorchSharp.torch;

namespace TypedBert.Tests.ZeroShot;

/// <summary>
/// <see cref="ZeroShotClassifier"/> against an oracle computed here from the raw encoder: mean-pooled token vectors, unit length,
/// descriptions averaged per label, cosine, argmax; the classifier must agree with it text by text and beat chance on a tiny labelled set.
/// </summary>
public sealed class ZeroShotClassifierTests
{
    static readonly string[] Labels = ["World", "Sports", "Business", "Sci/Tech"];

    static readonly Dictionary<string, IReadOnlyList<string>> Described = new()
    {
        ["World"] = ["World news: international politics, governments, wars and diplomacy.", "News about elections, presidents and foreign leaders."],
        ["Sports"] = ["Sports news: games, teams, players and matches."],
        ["Business"] = ["Business news: companies, markets, economy and finance.", "News about stocks, earnings and Wall Street."],
        // Sci/Tech is described by its name alone.
    };

    /// <summary>Twelve hand-written headlines, three per label (ids as in <see cref="Labels"/>).</summary>
    static readonly (string Text, int Label)[] Headlines =
    [
        ("The prime minister met the president to discuss the ceasefire and the peace treaty.", 0),
        ("Rebels attacked the capital as the government declared a state of emergency.", 0),
        ("Voters in the country go to the polls to elect a new parliament on Sunday.", 0),
        ("The striker scored twice as the home team won the championship final 3-1.", 1),
        ("The coach praised his players after the team's third straight win of the season.", 1),
        ("The tennis champion was knocked out of the tournament in the second round.", 1),
        ("Shares of the bank fell after it reported lower quarterly profits.", 2),
        ("The company agreed to buy its rival in a merger worth four billion dollars.", 2),
        ("Oil prices rose and stock markets slipped as investors worried about the economy.", 2),
        ("Scientists discovered a new planet using the space telescope.", 3),
        ("The new software update fixes a security flaw in the computer's operating system.", 3),
        ("Researchers built a faster computer chip for internet servers.", 3),
    ];

    static LabelDescriptions Descriptions => LabelDescriptions.For(Labels, Described);

    /// <summary>The oracle: cosine of each text with each label's averaged unit description vector, from the bare encoder.</summary>
    static double[][] OracleCosines(IReadOnlyList<string> texts, LabelDescriptions descriptions)
    {
        using var encoder = PretrainedEncoder.Load(EmbeddedModels.DefaultName);
        double[] Embed(string text)
        {
            using var scope = NewDisposeScope();
            var batch = encoder.TextTokenizer.EncodeBatch([text], maxLength: 128);
            using var output = encoder.Encode([text], 128);
            float[] hidden = output.LastHiddenState.data<float>().ToArray(); // [1, tokens, 384], no padding in a batch of one
            int tokens = batch.SequenceLength, width = hidden.Length / tokens;
            var mean = new double[width];
            for (int t = 0; t < tokens; t++)
                for (int j = 0; j < width; j++) mean[j] += hidden[t * width + j] / tokens;
            double norm = Math.Sqrt(mean.Sum(v => v * v));
            return [.. mean.Select(v => v / norm)];
        }
        var labelVectors = Enumerable.Range(0, descriptions.Labels.Count).Select(id =>
        {
            var sum = descriptions.Of(id).Select(Embed).Aggregate((a, b) => [.. a.Zip(b, (x, y) => x + y)]);
            double norm = Math.Sqrt(sum.Sum(v => v * v));
            return sum.Select(v => v / norm).ToArray();
        }).ToArray();
        return [.. texts.Select(text =>
        {
            var x = Embed(text);
            return labelVectors.Select(l => l.Zip(x, (a, b) => a * b).Sum()).ToArray();
        })];
    }

    static int ArgMax(IReadOnlyList<double> values) => Enumerable.Range(0, values.Count).MaxBy(i => values[i]);

    [Fact]
    public void Predictions_are_the_oracles_cosine_argmax_and_beat_chance_on_a_tiny_labelled_set()
    {
        var texts = Headlines.Select(h => h.Text).ToArray();
        var cosines = OracleCosines(texts, Descriptions);
        using var classifier = ZeroShotClassifier.Create(EmbeddedModels.DefaultName, Descriptions, new ZeroShotOptions { MaxLength = 128 })
            .With(s => s with { MaxLength = 128, Precision = InferencePrecision.Float32 }); // the oracle is fp32; bf16 (Auto on a CPU with AVX512-BF16) moves logits by ~0.3 %
        Assert.Equal(PoolingStrategy.Mean, classifier.Config.Pooling);
        var predictions = classifier.PredictBatch(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(ArgMax(cosines[i]), predictions[i].LabelId);
            // The logits are the cosines times one positive factor per text (Scale |x| / n), with no bias.
            double factor = predictions[i].Logits[0] / cosines[i][0];
            Assert.True(factor > 0, $"text {i}: factor {factor}");
            for (int label = 1; label < Labels.Length; label++)
                Assert.Equal(factor * cosines[i][label], predictions[i].Logits[label], 3);
        }
        int correct = Enumerable.Range(0, texts.Length).Count(i => predictions[i].LabelId == Headlines[i].Label);
        Assert.True(correct >= 9, $"{correct} of {texts.Length} correct; chance is 3"); // the oracle's own score on these headlines is 11 of 12
        // Scale 20: a confident headline gets a clear but not saturated probability.
        Assert.InRange(predictions.Max(p => p.Scores.Max()), 0.6f, 0.9999f);
    }

    [Fact]
    public void A_saved_zero_shot_classifier_loads_and_scores_the_same_in_libtorch_and_ONNX_Runtime()
    {
        using var folder = new TemporaryFolder();
        var texts = Headlines.Select(h => h.Text).ToArray();
        using var classifier = ZeroShotClassifier.Create(EmbeddedModels.DefaultName, Descriptions).With(s => s with { Precision = InferencePrecision.Float32 }); // compared with ONNX Runtime's fp32 graph
        var before = classifier.PredictBatch(texts);
        classifier.Save(folder.Path);
        using var loaded = TextClassifier.Load(folder.Path, new PredictionSettings { Precision = InferencePrecision.Float32 });
        Assert.Equal(Labels, loaded.Labels);
        Assert.Equal(PoolingStrategy.Mean, loaded.Config.Pooling);
        var after = loaded.PredictBatch(texts);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(before[i].Scores, after[i].Scores);
        using var onnxEngine = loaded.WithSettings(loaded.Settings with { Engine = InferenceEngine.OnnxRuntime });
        var onnx = onnxEngine.PredictBatch(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(before[i].LabelId, onnx[i].LabelId);
            for (int label = 0; label < Labels.Length; label++) Assert.Equal(before[i].Scores[label], onnx[i].Scores[label], 3);
        }
    }

    [Fact]
    public void The_head_of_an_existing_classifier_starts_from_the_descriptions_and_a_multi_label_one_is_refused()
    {
        var texts = Headlines.Select(h => h.Text).ToArray();
        using var fresh = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Labels, pooling: PoolingStrategy.Mean);
        ZeroShotClassifier.InitializeHead(fresh, Descriptions);
        using var created = ZeroShotClassifier.Create(EmbeddedModels.DefaultName, Descriptions);
        Assert.Equal(created.PredictBatch(texts).Select(p => p.LabelId), fresh.PredictBatch(texts).Select(p => p.LabelId));

        using var multi = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Labels, ProblemType.MultiLabel, PoolingStrategy.Mean);
        var error = Assert.Throws<ArgumentException>(() => ZeroShotClassifier.InitializeHead(multi, Descriptions));
        Assert.Contains("single-label", error.Message);
        using var other = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Sports", "World", "Business", "Sci/Tech"], pooling: PoolingStrategy.Mean);
        Assert.Contains("in its order", Assert.Throws<ArgumentException>(() => ZeroShotClassifier.InitializeHead(other, Descriptions)).Message);
    }
}
