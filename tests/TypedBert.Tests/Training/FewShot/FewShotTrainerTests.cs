using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Tokenization;
using TypedBert.Training.FewShot;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training.FewShot;

public class FewShotTrainerTests
{
    static readonly string[] Negative = ["a dull and boring mess", "I hated every minute", "the worst film of the year", "flat, lifeless and far too long"];
    static readonly string[] Positive = ["a wonderful, moving film", "I loved every minute", "the best film of the year", "sharp, funny and full of life"];

    static List<TrainingExample> Sentiment() =>
        [.. Negative.Select(t => TrainingExample.ForLabel(t, 0)), .. Positive.Select(t => TrainingExample.ForLabel(t, 1))];

    // The tiny random fixtures embed every text nearly alike, so the behaviour is shown on the real MiniLM.
    static TextClassifier MiniLM(ProblemType problemType = ProblemType.SingleLabel, int labels = 2) =>
        TextClassifier.FromPretrained("minilm-l6-uncased", [.. Enumerable.Range(0, labels).Select(i => $"label{i}")], problemType);

    static TextClassifier TinyBert(string name) => TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", name)));

    static Dictionary<string, float[]> Snapshot(TextClassifier classifier, Func<string, bool> which) =>
        classifier.Model.named_parameters().Where(p => which(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    static float[][] FeaturesOf(TextClassifier classifier, IReadOnlyList<string> texts)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        classifier.Model.eval();
        var inputs = BatchEncoding.Encode(classifier.Tokenizer, texts, null, 64).ToTensors();
        var features = nn.functional.normalize(classifier.Model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds), dim: 1);
        return [.. Enumerable.Range(0, texts.Count).Select(i => features[i].data<float>().ToArray())];
    }

    /// <summary>Mean cosine similarity within a class minus across classes: what the contrastive phase must raise.</summary>
    static double Separation(TextClassifier classifier)
    {
        var f = FeaturesOf(classifier, [.. Negative, .. Positive]);
        double Cos(int a, int b) => f[a].Zip(f[b], (x, y) => (double)x * y).Sum();
        var within = new List<double>();
        var across = new List<double>();
        for (int a = 0; a < f.Length; a++)
            for (int b = a + 1; b < f.Length; b++)
                ((a < Negative.Length) == (b < Negative.Length) ? within : across).Add(Cos(a, b));
        return within.Average() - across.Average();
    }

    [Fact]
    public void The_contrastive_phase_pulls_classes_apart_and_the_head_fit_leaves_the_encoder_alone()
    {
        using var classifier = MiniLM();
        double before = Separation(classifier);
        var options = new FewShotOptions { PairIterations = 5, BodyBatchSize = 8, BodyLearningRate = 1e-4, HeadSteps = 1 };
        var result = new FewShotTrainer(classifier, options).Train(Sentiment());
        double after = Separation(classifier);
        Assert.Equal(2 * 5 * 8, result.Pairs);
        Assert.Equal(10, result.BodySteps);
        Assert.True(after > before + 0.1, $"within-class minus across-class cosine similarity went from {before:0.000} to {after:0.000}");

        // The head's fit: the encoder's weights stay as the contrastive phase left them.
        var encoder = Snapshot(classifier, name => !classifier.Model.IsHeadParameter(name));
        var head = Snapshot(classifier, classifier.Model.IsHeadParameter);
        new FewShotTrainer(classifier, options with { BodyEpochs = 0, HeadSteps = 50 }).Train(Sentiment());
        foreach (var (name, values) in Snapshot(classifier, name => !classifier.Model.IsHeadParameter(name)))
            Assert.True(values.SequenceEqual(encoder[name]), $"{name} changed while only the head was fitted");
        Assert.Contains(Snapshot(classifier, classifier.Model.IsHeadParameter), p => !p.Value.SequenceEqual(head[p.Key]));
    }

    [Fact]
    public void All_pairs_in_a_batch_pull_classes_apart_with_one_pass_per_round()
    {
        using var classifier = MiniLM();
        double before = Separation(classifier);
        // 8 examples, batches of 2 x 4 = 8: one step per round, each learning from all 28 pairs (16 across, 12 within).
        var options = new FewShotOptions { Pairs = PairSampling.AllInBatch, PairIterations = 10, BodyBatchSize = 4, BodyLearningRate = 1e-4, HeadSteps = 1 };
        var result = new FewShotTrainer(classifier, options).Train(Sentiment());
        double after = Separation(classifier);
        Assert.Equal(10, result.BodySteps);
        Assert.Equal(10 * 28, result.Pairs);
        Assert.True(after > before + 0.1, $"within-class minus across-class cosine similarity went from {before:0.000} to {after:0.000}");
    }

    [Fact]
    public void Bf16_mixed_precision_reaches_the_contrastive_phase()
    {
        // The same seed and data in fp32 and in bf16: if the option did not reach the encoder's matmuls, the weights would match.
        Dictionary<string, float[]> EncoderAfter(bool bf16)
        {
            using var classifier = TinyBert("bert");
            var options = new FewShotOptions { PairIterations = 2, BodyBatchSize = 4, BodyLearningRate = 1e-3, HeadSteps = 1, BFloat16MixedPrecision = bf16 };
            var result = new FewShotTrainer(classifier, options).Train([.. Sentiment().Select(e => TrainingExample.ForLabel(e.Text, 2 * e.LabelId)), TrainingExample.ForLabel("a film", 1)]); // negative, neutral, positive
            Assert.True(double.IsFinite(result.BodyLoss), $"body loss {result.BodyLoss}");
            return Snapshot(classifier, name => name.Contains("encoder.layer.0.attention.self.query.weight", StringComparison.Ordinal));
        }
        var fp32 = EncoderAfter(bf16: false);
        var bf16 = EncoderAfter(bf16: true);
        Assert.NotEmpty(fp32);
        var (name, values) = fp32.First();
        double largest = values.Zip(bf16[name], (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest > 1e-6, $"{name} came out identical in fp32 and bf16 training");
        Assert.True(largest < 1e-2, $"{name} differs by {largest} between fp32 and bf16 training: more than bf16 rounding explains");
    }

    [Fact]
    public void The_head_fit_learns_the_training_labels_single_and_multi_label()
    {
        using (var classifier = MiniLM())
        {
            var result = new FewShotTrainer(classifier, new FewShotOptions { BodyEpochs = 0, Head = HeadFit.GradientDescent, HeadSteps = 400, HeadWeightDecay = 0 }).Train(Sentiment(), eval: Sentiment());
            Assert.Equal(1.0, result.Evaluation!.Classification!.Accuracy);
            Assert.True(result.HeadLoss < 0.1, $"head loss {result.HeadLoss}");
        }
        using (var classifier = MiniLM(ProblemType.MultiLabel, 3))
        {
            List<TrainingExample> tickets =
            [
                TrainingExample.ForLabels("refund my invoice", [0], 3), TrainingExample.ForLabels("charged twice on my card", [0], 3),
                TrainingExample.ForLabels("cannot log in", [1], 3), TrainingExample.ForLabels("password reset fails", [1], 3),
                TrainingExample.ForLabels("charged twice and cannot log in", [0, 1], 3), TrainingExample.ForLabels("the app crashes", [2], 3),
                TrainingExample.ForLabels("crash on start", [2], 3),
            ];
            var result = new FewShotTrainer(classifier, new FewShotOptions { PairIterations = 2, Head = HeadFit.GradientDescent, HeadSteps = 400, HeadWeightDecay = 0 }).Train(tickets, eval: tickets);
            Assert.Equal(1.0, result.Evaluation!.MultiLabel!.SubsetAccuracy);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_logistic_regression_head_is_the_optimum_written_into_the_linear_head(bool unitLength)
    {
        string[][] topics =
        [
            ["the striker scored twice in the cup final", "the team won the league title", "a late goal decided the match"],
            ["shares fell as the bank cut its forecast", "the company reported record profits", "oil prices pushed markets lower"],
            ["the new chip doubles battery life", "researchers released an open source compiler", "the probe sent back images of mars"],
        ];
        var texts = topics.SelectMany(t => t).ToList();
        int[] labels = [.. topics.SelectMany((t, label) => t.Select(_ => label))];
        using var classifier = MiniLM(labels: 3);
        var result = new FewShotTrainer(classifier, new FewShotOptions { BodyEpochs = 0, MaxLength = 64, NormalizeHeadFeatures = unitLength })
            .Train([.. texts.Select((t, i) => TrainingExample.ForLabel(t, labels[i]))], eval: [.. texts.Select((t, i) => TrainingExample.ForLabel(t, labels[i]))]);
        Assert.Equal(1.0, result.Evaluation!.Classification!.Accuracy);

        // The test's own features (made unit-length, and the head read back and multiplied by the training features' mean length,
        // which the trainer divides by, when asked): scikit-learn's objective there must have no slope, and its value must be the head's loss.
        double[][] raw;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var inputs = BatchEncoding.Encode(classifier.Tokenizer, texts, null, 64).ToTensors();
            var f = classifier.Model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds).to(float64);
            raw = [.. Enumerable.Range(0, texts.Count).Select(i => f[i].data<double>().ToArray())];
        }
        var lengths = raw.Select(r => Math.Sqrt(r.Sum(v => v * v))).ToArray();
        double meanLength = unitLength ? lengths.Average() : 1;
        var unit = unitLength ? raw.Select((r, i) => r.Select(v => v / lengths[i]).ToArray()).ToArray() : raw;
        var parameters = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(float64).data<double>().ToArray());
        var weights = Enumerable.Range(0, 3).Select(k => parameters["classifier.weight"][(k * 384)..((k + 1) * 384)].Select(v => v * meanLength).ToArray()).ToArray();
        var bias = parameters["classifier.bias"];
        Assert.True(LogisticRegressionTests.LargestFiniteDifferenceGradient(unit, labels, 1.0, weights, bias) < 1e-3);
        Assert.Equal(LogisticRegressionTests.Objective(unit, labels, 1.0, weights, bias), result.HeadLoss, 1e-3);
    }

    [Fact]
    public void Sixteen_examples_make_a_sentiment_classifier_that_saves_and_loads_like_a_fine_tuned_one()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "train.tsv"))[1..];
        var labels = new LabelSet(["Negative", "Positive"]);
        var rows = lines.Select(l => l.Split('\t')).Select(c => TrainingExample.ForLabel(c[0], (c[1] == "Positive" ? 1 : 0))).ToList();
        var train = rows.Where(r => r.LabelId == 0).Take(8).Concat(rows.Where(r => r.LabelId == 1).Take(8)).ToList();
        var test = File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", "test.tsv"))[1..]
            .Select(l => l.Split('\t')).Select(c => TrainingExample.ForLabel(c[0], (c[1] == "Positive" ? 1 : 0))).ToList();

        using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names).With(s => s with { Precision = InferencePrecision.Float32 });
        // Few pair iterations keep the test short; docs/results.md measures the default recipe on SST-2 and AG News.
        var result = new FewShotTrainer(classifier, new FewShotOptions { MaxLength = 64, PairIterations = 5 }).Train(train, eval: test);
        double accuracy = result.Evaluation!.Classification!.Accuracy;
        Console.WriteLine($"few-shot, 8 per label: {accuracy:P1} on {test.Count} held-out sentences, {result.Elapsed.TotalSeconds:0} s");
        // Chance is 50 %; on 120 sentences a classifier that learned nothing stays below 60 % with 95 % probability.
        Assert.True(accuracy >= 0.6, $"8 examples per label reached only {accuracy:P1} on the held-out sentiment sentences");

        string folder = Directory.CreateTempSubdirectory("typedbert-fewshot-").FullName;
        try
        {
            classifier.Save(Path.Combine(folder, "model"));
            using var loaded = TextClassifier.Load(Path.Combine(folder, "model"), new PredictionSettings { Precision = InferencePrecision.Float32 });
            var texts = test.Take(10).Select(e => e.Text).ToList();
            Assert.Equal(classifier.PredictBatch(texts).Select(p => p.Scores), loaded.PredictBatch(texts).Select(p => p.Scores));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Bad_settings_and_regression_heads_are_refused_with_the_reason()
    {
        using var classifier = TinyBert("bert");
        Assert.Contains("PairIterations 0", Assert.Throws<ArgumentException>(() => new FewShotTrainer(classifier, new FewShotOptions { PairIterations = 0 })).Message);
        Assert.Contains("BodyLearningRate", Assert.Throws<ArgumentException>(() => new FewShotTrainer(classifier, new FewShotOptions { BodyLearningRate = 2 })).Message);
        Assert.Contains("train[1]", Assert.Throws<ArgumentException>(() =>
            new FewShotTrainer(classifier, new FewShotOptions()).Train([TrainingExample.ForLabel("a", 0), TrainingExample.ForLabel("b", 7)])).Message);
        var error = Assert.Throws<ArgumentException>(() =>
            new FewShotTrainer(classifier, new FewShotOptions()).Train([TrainingExample.ForLabel("a", 0), TrainingExample.ForLabel("b", 2)]));
        Assert.Contains("no training example for label \"neutral\"", error.Message);
        using var regression = TinyBert("bert-regression");
        Assert.Contains("regression", Assert.Throws<ArgumentException>(() => new FewShotTrainer(regression, new FewShotOptions())).Message);
    }
}
