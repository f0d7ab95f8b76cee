using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;
using TypedBert.Training.Checkpoints;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training;

public sealed class CheckpointTests
{
    static readonly string[] Sentiment = ["Negative", "Positive"];

    /// <summary>The first <paramref name="count"/> rows of the sentiment set the examples ship.</summary>
    internal static List<TrainingExample> Sentences(string file, int count)
    {
        var rows = DataFile.Read(Path.Combine(TestPaths.RepositoryRoot, "examples", "data", "sentiment", file), new DataColumns("text", "label"));
        var labels = new LabelSet(Sentiment);
        return TrainingExample.FromRows(rows.Take(count), labels, ProblemType.SingleLabel);
    }

    static TrainingOptions Options(string checkpoints) => new()
    {
        Epochs = 2, BatchSize = 4, LearningRate = 1e-4, WarmupSteps = 2, MaxLength = 32, LoggingSteps = 1, Seed = 11,
        FreezeEmbeddings = true, CheckpointDirectory = checkpoints, SaveSteps = 2, SaveTotalLimit = 3,
    };

    static Dictionary<string, Tensor> Weights(TextClassifier classifier) =>
        classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    [Fact]
    public void AdamW_takes_the_same_steps_as_torch_AdamW()
    {
        manual_seed(3);
        using var ours = nn.Linear(6, 4);
        using var reference = nn.Linear(6, 4);
        using (no_grad()) foreach (var (name, p) in reference.named_parameters()) p.copy_(ours.get_parameter(name)!);
        using var initial = ours.weight!.detach().clone();
        // The bias trains at half the rate, as a second parameter group with its own lr does in torch.
        using var optimizer = new AdamWOptimizer(ours.named_parameters().Select(p => (p.name, p.parameter, p.name == "bias" ? 0.0 : 0.01, p.name == "bias" ? 0.5 : 1.0)), 0.9, 0.999, 1e-8);
        using var torchAdamW = optim.AdamW(
        [
            new TorchSharp.Modules.AdamW.ParamGroup([reference.weight!], new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-2, weight_decay = 0.01 }),
            new TorchSharp.Modules.AdamW.ParamGroup([reference.bias!], new TorchSharp.Modules.AdamW.Options { LearningRate = 5e-3, weight_decay = 0 }),
        ], 1e-2);
        for (int step = 0; step < 6; step++)
        {
            using var input = randn(5, 6);
            foreach (var model in new[] { ours, reference }) { using var loss = model.forward(input).pow(2).sum(); loss.backward(); }
            optimizer.Step(1e-2);
            torchAdamW.step();
            foreach (var p in ours.parameters().Concat(reference.parameters())) p.grad = null!;
        }
        foreach (var (name, p) in ours.named_parameters())
            Assert.True(p.allclose(reference.get_parameter(name)!, rtol: 1e-5, atol: 1e-7), $"{name} differs from torch's AdamW");
        Assert.False(ours.weight!.allclose(initial), "six steps at lr 1e-2 must move the weights");
    }

    [Fact]
    public void A_run_resumed_from_a_mid_epoch_or_epoch_end_checkpoint_ends_with_the_weights_of_an_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        var train = Sentences("train.tsv", 22); // 6 batches per epoch, the last one short
        var eval = Sentences("test.tsv", 8);

        using var uninterrupted = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
        var expected = new Trainer(uninterrupted, Options(folder.File("a"))).Train(train, eval);
        var expectedWeights = Weights(uninterrupted);
        Assert.Equal(12, expected.Steps);
        // Steps 2, 4 (mid-epoch), 6 (end of epoch 1), 8, 10, 12 (end of epoch 2); SaveTotalLimit 3 keeps the newest 3 and the best.
        // The best epoch by the default metric (accuracy; a tie keeps the earlier), worked out from the run's history rather than
        // read from the trainer's own choice: epoch 1 ends at step 6, epoch 2 at step 12.
        string best = expected.Epochs[1].Evaluation!.Classification!.Accuracy > expected.Epochs[0].Evaluation!.Classification!.Accuracy ? "checkpoint-12" : "checkpoint-6";
        var kept = Directory.GetDirectories(folder.File("a")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new[] { "checkpoint-10", "checkpoint-12", "checkpoint-8", best }.Distinct().Order(StringComparer.Ordinal), kept);

        using var source = new CancellationTokenSource();
        using (var interrupted = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment))
        {
            var progress = new Recorder(p => { if (p.Step == 9) source.Cancel(); });
            Assert.Throws<OperationCanceledException>(() => new Trainer(interrupted, Options(folder.File("b"))).Train(train, eval, progress, source.Token));
        }
        Assert.Equal(Path.Combine(folder.File("b"), "checkpoint-8"), CheckpointStore.FindLatest(folder.File("b")));

        foreach (var checkpoint in new[] { "checkpoint-4", "checkpoint-6" })
        {
            using var resumed = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
            var options = Options(folder.File("b")) with { ResumeFromCheckpoint = Path.Combine(folder.File("b"), checkpoint), CheckpointDirectory = folder.File("resumed-" + checkpoint) };
            var result = new Trainer(resumed, options).Train(train, eval);
            Assert.Equal(expected.Steps, result.Steps);
            Assert.Equal(expected.Epochs.Select(e => e.TrainingLoss), result.Epochs.Select(e => e.TrainingLoss), new ToleranceComparer(1e-6));
            Assert.Equal(expected.Epochs.Select(e => e.Evaluation!.Loss), result.Epochs.Select(e => e.Evaluation!.Loss), new ToleranceComparer(1e-6));
            foreach (var (name, parameter) in resumed.Model.named_parameters())
            {
                double difference = (parameter - expectedWeights[name]).abs().max().item<float>();
                Assert.True(difference <= 1e-6, $"{checkpoint}: {name} differs from the uninterrupted run by {difference}");
            }
        }

        using var other = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
        var changed = Options(folder.File("b")) with { ResumeFromCheckpoint = Path.Combine(folder.File("b"), "checkpoint-4"), BatchSize = 2 };
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(other, changed).Train(train, eval));
        Assert.Contains("BatchSize: 4 in the checkpoint, 2 now", error.Message);
        error = Assert.Throws<InvalidOperationException>(() => new Trainer(other, Options(folder.File("b")) with { ResumeFromCheckpoint = Path.Combine(folder.File("b"), "checkpoint-4") }).Train(train[..20], eval));
        Assert.Contains("training data", error.Message);
        foreach (var t in expectedWeights.Values) t.Dispose();
    }

    [Fact]
    public void A_checkpoint_is_a_model_folder_that_loads_for_prediction()
    {
        using var folder = new TemporaryFolder();
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
        new Trainer(classifier, Options(folder.Path) with { Epochs = 1, SaveSteps = null }).Train(Sentences("train.tsv", 8));
        string checkpoint = CheckpointStore.FindLatest(folder.Path)!;
        Assert.Equal("checkpoint-2", Path.GetFileName(checkpoint));
        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "optimizer.safetensors", "trainer_state.json" })
            Assert.True(File.Exists(Path.Combine(checkpoint, file)), file);
        using var loaded = TextClassifier.Load(checkpoint);
        Assert.Equal(classifier.Predict("a fine film").Logits, loaded.Predict("a fine film").Logits);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_and_keeps_the_last_good_checkpoint()
    {
        using var folder = new TemporaryFolder();
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Sentiment);
        var poison = new Recorder(p =>
        {
            if (p.Step != 4) return;
            using var noGrad = no_grad();
            classifier.Model.named_parameters().Single(n => n.name == "classifier.weight").parameter.fill_(float.NaN); // fill_ returns the parameter itself: not disposed
        });
        var error = Assert.Throws<TrainingDivergedException>(() => new Trainer(classifier, Options(folder.Path)).Train(Sentences("train.tsv", 22), progress: poison));
        Assert.Equal(5, error.Step);
        Assert.Equal(Path.Combine(folder.Path, "checkpoint-4"), error.LastCheckpoint);
        Assert.Contains("the training loss became NaN", error.Message);
        Assert.Contains("checkpoint-4", error.Message);
        Assert.Equal(error.LastCheckpoint, CheckpointStore.FindLatest(folder.Path));
        using var good = TextClassifier.Load(error.LastCheckpoint!);
        Assert.All(good.Predict("still works").Logits, v => Assert.True(float.IsFinite(v)));
    }

    sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
