using System.Text.Json.Nodes;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training;

/// <summary>
/// Trainer and prediction settings checked against an answer worked out independently of the code under test: a run with the setting
/// compared with a run that reaches the same result another way, or decisions computed by hand.
/// </summary>
public sealed class TrainingOracleTests
{
    /// <summary>
    /// A copy of the tiny BERT that transformers saved (2 layers, hidden size 32) with every dropout at 0, so that two runs differ only in
    /// what the test varies.
    /// </summary>
    internal static TextClassifier TinyWithoutDropout(TemporaryFolder folder, string fixture = "bert", Action<JsonObject>? edit = null)
    {
        string copy = folder.File(fixture);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(TestPaths.Fixture(Path.Combine("variants", fixture))))
            if (Path.GetFileName(file) != "expected.json") File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, "config.json")))!.AsObject();
        config["hidden_dropout_prob"] = 0.0;
        config["attention_probs_dropout_prob"] = 0.0;
        config["classifier_dropout"] = 0.0;
        edit?.Invoke(config);
        File.WriteAllText(Path.Combine(copy, "config.json"), config.ToJsonString());
        return TextClassifier.Load(copy);
    }

    static readonly TrainingExample[] Four =
    [
        TrainingExample.ForLabel("the film was great", 2), TrainingExample.ForLabel("a dull and long plot", 0),
        TrainingExample.ForLabel("the acting was fine", 1), TrainingExample.ForLabel("great acting but a thin plot", 2),
    ];

    static Dictionary<string, float[]> Weights(TextClassifier classifier) =>
        classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.Float32).flatten().data<float>().ToArray());

    static float LargestDifference(Dictionary<string, float[]> a, Dictionary<string, float[]> b)
    {
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        return a.Keys.Max(name => a[name].Zip(b[name], (x, y) => Math.Abs(x - y)).Max());
    }

    static Dictionary<string, float[]> TrainTiny(TrainingOptions options, IReadOnlyList<TrainingExample>? eval = null, TrainingExample[]? train = null)
    {
        using var folder = new TemporaryFolder();
        using var classifier = TinyWithoutDropout(folder);
        new Trainer(classifier, options).Train(train ?? Four, eval);
        return Weights(classifier);
    }

    /// <summary>
    /// AdamW's step is unchanged when every gradient is multiplied by one constant, so with the usual epsilon a trainer that forgot to
    /// divide the accumulated loss by the number of micro-batches would still pass. An epsilon of 1 (far above these gradients) makes the
    /// step proportional to the gradient, so the gradient's size shows in the weights.
    /// </summary>
    static readonly TrainingOptions Linearised = new()
    {
        Epochs = 2, LearningRate = 0.1, AdamEpsilon = 1.0, MaxGradNorm = 0, WarmupSteps = 0, WeightDecay = 0, Seed = 3, LoggingSteps = 1,
    };

    [Fact]
    public void Accumulating_two_micro_batches_of_two_equals_one_batch_of_four()
    {
        var whole = TrainTiny(Linearised with { BatchSize = 4, GradientAccumulationSteps = 1 });
        var accumulated = TrainTiny(Linearised with { BatchSize = 2, GradientAccumulationSteps = 2 });
        var twoSteps = TrainTiny(Linearised with { BatchSize = 2, GradientAccumulationSteps = 1 });
        using var folder = new TemporaryFolder();
        using (var untrained = TinyWithoutDropout(folder))
            Assert.True(LargestDifference(whole, Weights(untrained)) > 1e-3, "training must move the weights by far more than the tolerance");

        float difference = LargestDifference(whole, accumulated);
        Assert.True(difference <= 1e-5, $"accumulated micro-batches differ from the whole batch by {difference}");
        // The comparison can fail: the same micro-batches stepped one at a time land elsewhere.
        float stepped = LargestDifference(whole, twoSteps);
        Assert.True(stepped > 1e-4, $"two optimizer steps of two examples should differ from one of four, by {stepped}");
    }

    [Fact]
    public void Without_LoadBestModelAtEnd_the_final_weights_are_the_last_epochs_not_the_best_ones()
    {
        // The evaluation texts are the training texts with other labels, so the evaluation loss rises as training goes on: epoch 1 is best.
        TrainingExample[] opposite = [.. Four.Select(e => TrainingExample.ForLabel(e.Text, (e.LabelId + 1) % 3))];
        var options = Linearised with { Epochs = 3, BatchSize = 4, MetricForBestModel = BestModelMetric.Loss };

        // Evaluation only reads the model, so training without evaluation data ends on the last epoch's weights: the oracle.
        var lastEpoch = TrainTiny(options);
        Dictionary<string, float[]> kept, restored;
        TrainingResult keptRun, restoredRun;
        using (var folder = new TemporaryFolder())
        using (var classifier = TinyWithoutDropout(folder))
        {
            keptRun = new Trainer(classifier, options with { LoadBestModelAtEnd = false }).Train(Four, opposite);
            kept = Weights(classifier);
        }
        using (var folder = new TemporaryFolder())
        using (var classifier = TinyWithoutDropout(folder))
        {
            restoredRun = new Trainer(classifier, options with { LoadBestModelAtEnd = true }).Train(Four, opposite);
            restored = Weights(classifier);
        }

        Assert.Equal(1, restoredRun.BestEpoch);
        Assert.True(restoredRun.Epochs[0].Evaluation!.Loss < restoredRun.Epochs[^1].Evaluation!.Loss);
        Assert.Equal(3, keptRun.BestEpoch);   // the epoch whose weights the model holds
        Assert.Equal(0f, LargestDifference(lastEpoch, kept));
        // The comparison can fail: restoring the best epoch gives other weights.
        Assert.True(LargestDifference(lastEpoch, restored) > 1e-3, "the best epoch's weights should differ from the last epoch's");
    }

    [Fact]
    public void Per_label_thresholds_decide_multi_label_predictions_and_evaluation()
    {
        using var folder = new TemporaryFolder();
        // Thresholds for negative, neutral, positive; the model's own, from config.json as TypedBert saves them.
        using var classifier = TinyWithoutDropout(folder, "bert-multilabel", config => config["typedbert_thresholds"] = new JsonArray(0.9f, 0.4f, 0.1f));
        Assert.Equal([0.9f, 0.4f, 0.1f], classifier.Model.Config.Thresholds!);
        // The head's bias sets the probabilities: sigmoid(2) = 0.881, sigmoid(-0.3) = 0.426, sigmoid(-2) = 0.119 (the rest of the head adds
        // less than 0.03 to each logit, which moves no probability across a threshold here).
        var bias = classifier.Model.named_parameters().Single(p => p.name == "classifier.bias").parameter;
        using (no_grad()) bias.copy_(tensor(new float[] { 2f, -0.3f, -2f }));

        const string Text = "the film was great";
        var prediction = classifier.Predict(Text);
        Assert.Equal([0.881f, 0.426f, 0.119f], prediction.Scores, new Within(0.01f));
        // By hand: 0.881 < 0.9 (no), 0.426 >= 0.4 (yes), 0.119 >= 0.1 (yes); at 0.5 for all only 0.881 passes.
        Assert.Equal(["neutral", "positive"], prediction.Labels());
        Assert.Equal(["negative"], prediction.Labels(threshold: 0.5f));

        var byThresholds = TrainingExample.ForLabels(Text, [1, 2], 3);
        var byHalf = TrainingExample.ForLabels(Text, [0], 3);
        Assert.Equal(1.0, Evaluation.Run(classifier, [byThresholds]).MultiLabel!.SubsetAccuracy);
        Assert.Equal(0.0, Evaluation.Run(classifier, [byHalf]).MultiLabel!.SubsetAccuracy);
        Assert.Equal(1.0, Evaluation.Run(classifier, [byHalf]).MultiLabel!.HammingLoss);   // all three labels decided the other way
    }

    sealed class Within(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
