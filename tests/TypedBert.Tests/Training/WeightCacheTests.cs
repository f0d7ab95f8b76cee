using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Tests.Training;

/// <summary>The trainer keeps the classifier's cached prediction state (ONNX Runtime session, bf16 copies) in step with the weights.</summary>
public sealed class WeightCacheTests
{
    static readonly string[] Texts = ["A delightful, moving film.", "Dull and far too long.", "It is neither good nor bad, just there."];

    [Fact]
    public void The_onnx_engine_evaluates_each_epoch_and_predicts_afterwards_on_the_weights_of_the_moment()
    {
        // The reference below is libtorch in fp32, as the ONNX graph is.
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"])
            .With(s => s with { Precision = InferencePrecision.Float32, Engine = InferenceEngine.OnnxRuntime });
        var before = classifier.PredictBatch(Texts); // builds and caches a session from the initial weights
        var examples = Texts.Select((t, i) => TrainingExample.ForLabel(t, i % 2)).ToList();
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 2, BatchSize = 3, MaxLength = 16, LearningRate = 1e-3, LoadBestModelAtEnd = false })
            .Train(examples, eval: examples);

        using var torchEngine = classifier.WithSettings(classifier.Settings with { Engine = InferenceEngine.Torch });
        var reference = torchEngine.PredictBatch(Texts);
        // Epoch 2's evaluation ran after a step, so a session kept from epoch 1 (or from before training) would show here.
        Assert.Equal(Evaluation.Run(torchEngine, examples).Loss, run.Epochs[^1].Evaluation!.Loss, 4);
        var after = classifier.PredictBatch(Texts);
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.NotEqual(before[i].Logits, after[i].Logits);
            for (int j = 0; j < 2; j++) Assert.True(Math.Abs(reference[i].Logits[j] - after[i].Logits[j]) < 1e-4, $"text {i}: a stale ONNX Runtime session? {reference[i].Logits[j]} vs {after[i].Logits[j]}, before {before[i].Logits[j]}");
        }
    }
}
