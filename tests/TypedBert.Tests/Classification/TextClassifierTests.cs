using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Tests.Classification;

public sealed class TextClassifierTests
{
    static readonly string[] Sentiment = ["Negative", "Positive"];

    static TextClassifier NewClassifier(ProblemType problem = ProblemType.SingleLabel, IReadOnlyList<string>? labels = null, PoolingStrategy? pooling = null) =>
        TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels ?? Sentiment, problem, pooling);

    [Fact]
    public void Save_writes_the_Hugging_Face_layout_and_load_gives_identical_predictions()
    {
        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "model");
        using var classifier = NewClassifier(pooling: PoolingStrategy.Pooler);
        classifier.Save(directory);

        foreach (var file in new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(directory, file)), file);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "config.json")));
        var root = config.RootElement;
        Assert.Equal("BertForSequenceClassification", root.GetProperty("architectures")[0].GetString());
        Assert.Equal("single_label_classification", root.GetProperty("problem_type").GetString());
        Assert.Equal("Positive", root.GetProperty("id2label").GetProperty("1").GetString());
        Assert.Equal(0, root.GetProperty("label2id").GetProperty("Negative").GetInt32());
        Assert.Equal(384, root.GetProperty("hidden_size").GetInt32());
        using (var weights = SafeTensorsFile.Open(Path.Combine(directory, "model.safetensors")))
        {
            Assert.Contains("bert.embeddings.word_embeddings.weight", weights.Tensors.Keys);
            Assert.Contains("bert.pooler.dense.weight", weights.Tensors.Keys);
            Assert.Equal(new long[] { 2, 384 }, weights.Tensors["classifier.weight"].Shape);
            Assert.Equal(new long[] { 2 }, weights.Tensors["classifier.bias"].Shape);
        }

        using var loaded = TextClassifier.Load(directory);
        string[] texts = ["A delightful, moving film.", "Dull and far too long."];
        var before = classifier.PredictBatch(texts);
        var after = loaded.PredictBatch(texts);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(before[i].Logits, after[i].Logits);
    }

    [Fact]
    public void A_base_model_without_pooler_gets_a_fresh_pooler_or_pools_without_one()
    {
        using var withPooler = TextClassifier.FromPretrained("arctic-xs-uncased", Sentiment, pooling: PoolingStrategy.Pooler);
        Assert.True(withPooler.Model.Encoder.HasPooler);
        var fresh = withPooler.Model.named_parameters().Single(p => p.name == "bert.pooler.dense.bias").parameter;
        Assert.Equal(0f, fresh.abs().sum().item<float>()); // initialised as transformers does: bias 0, weight ~ N(0, 0.02)

        using var mean = TextClassifier.FromPretrained("arctic-xs-uncased", Sentiment);
        Assert.Equal(PoolingStrategy.Mean, mean.Model.Config.Pooling);
        Assert.False(mean.Model.Encoder.HasPooler);
        Assert.Equal(1f, mean.Predict("works without a pooler").Scores.Sum(), 4);
    }

    [Fact]
    public void Saving_over_a_model_replaces_it_whole_and_leaves_no_staging_folders()
    {
        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "model");
        using var first = NewClassifier();
        first.Save(directory);
        File.WriteAllText(Path.Combine(directory, "stale.txt"), "from an older save");
        using var second = NewClassifier(labels: ["A", "B", "C"]);
        second.Save(directory);
        Assert.False(File.Exists(Path.Combine(directory, "stale.txt")));
        Assert.Equal(["model"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
        using var loaded = TextClassifier.Load(directory);
        Assert.Equal(["A", "B", "C"], loaded.Labels);
    }

    [Fact]
    public void A_crash_while_writing_a_save_keeps_the_previous_model()
    {
        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "model");
        using var classifier = NewClassifier();
        classifier.Save(directory);
        byte[] good = File.ReadAllBytes(Path.Combine(directory, "model.safetensors"));
        Assert.Throws<IOException>(() => AtomicDirectory.Write(directory, staging =>
        {
            File.WriteAllText(Path.Combine(staging, "config.json"), "{ half");
            throw new IOException("simulated crash");
        }));
        Assert.Equal(good, File.ReadAllBytes(Path.Combine(directory, "model.safetensors")));
        using var loaded = TextClassifier.Load(directory);
        Assert.Equal(Sentiment, loaded.Labels);
    }

    [Fact]
    public void A_checkpoint_saved_by_transformers_loads()
    {
        // The layout transformers' save_pretrained writes for BertForSequenceClassification: no TypedBert fields in config.json.
        using var folder = new TemporaryFolder();
        using var source = NewClassifier(pooling: PoolingStrategy.Pooler);
        string encoderFolder = PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName);
        var config = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(File.ReadAllText(Path.Combine(encoderFolder, "config.json")))!;
        config["architectures"] = JsonSerializer.SerializeToElement(new[] { "BertForSequenceClassification" });
        config["id2label"] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["0"] = "NEGATIVE", ["1"] = "POSITIVE" });
        config["label2id"] = JsonSerializer.SerializeToElement(new Dictionary<string, int> { ["NEGATIVE"] = 0, ["POSITIVE"] = 1 });
        config["torch_dtype"] = JsonSerializer.SerializeToElement("float32");
        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
        File.Copy(Path.Combine(encoderFolder, "vocab.txt"), folder.File("vocab.txt"));
        SafeTensorsWriter.Write(folder.File("model.safetensors"), StateDict.Named(source.Model));

        using var loaded = TextClassifier.Load(folder.Path);
        Assert.Equal(["NEGATIVE", "POSITIVE"], loaded.Labels);
        Assert.Equal(ProblemType.SingleLabel, loaded.ProblemType);
        Assert.Equal(PoolingStrategy.Pooler, loaded.Model.Config.Pooling);
        Assert.Equal(source.Predict("same weights").Logits, loaded.Predict("same weights").Logits);
    }

    [Fact]
    public void Batch_prediction_returns_input_order_and_matches_one_by_one()
    {
        using var classifier = NewClassifier().With(s => s with { BatchSize = 2 });
        string[] texts = ["short", "a much longer text that will sort first in the batch order", "", "medium length text here"];
        var batch = classifier.PredictBatch(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            var single = classifier.Predict(texts[i]);
            for (int j = 0; j < 2; j++) Assert.Equal(single.Logits[j], batch[i].Logits[j], 4);
            Assert.Equal(1f, batch[i].Scores.Sum(), 4);
        }
        Assert.Equal(2, batch[0].Top(5).Count);
        Assert.True(batch[0].Ranked[0].Score >= batch[0].Ranked[1].Score);
    }

    [Fact]
    public void Sliding_window_reads_all_of_a_long_text_and_skips_a_too_short_tail()
    {
        using var classifier = NewClassifier().With(s => s with
        {
            MaxLength = 34, // 32 content tokens per window
            LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, Stride = 16, MinimumWindowTokens = 8 },
        });
        string text = string.Join(' ', Enumerable.Range(0, 70).Select(i => i % 2 == 0 ? "good" : "film")); // 70 tokens
        var windows = classifier.SlidingWindows(text);
        // starts 0, 16, 32, 48 (covers to 70); a window at 64 would be only 6 tokens and is skipped
        Assert.Equal([34, 34, 34, 24], windows.Select(w => w.Length));
        Assert.All(windows, w => Assert.Equal(classifier.Tokenizer.ClsTokenId, w.InputIds[0]));

        var prediction = classifier.Predict(text);
        Assert.Equal(4, prediction.Windows);
        var logits = classifier.ComputeLogits(windows);
        for (int j = 0; j < 2; j++) Assert.Equal(logits.Average(l => l[j]), prediction.Logits[j], 4);

        using var byMax = classifier.WithSettings(classifier.Settings with { LongText = classifier.LongText with { Aggregation = WindowAggregation.Max } });
        var max = byMax.Predict(text);
        for (int j = 0; j < 2; j++) Assert.Equal(logits.Max(l => l[j]), max.Logits[j], 4);

        Assert.Throws<NotSupportedException>(() => classifier.Predict(text, pair: "a second text"));

        using var truncating = classifier.WithSettings(classifier.Settings with { LongText = new LongTextOptions() });
        Assert.Equal(1, truncating.Predict(text).Windows);
        Assert.Equal(1, truncating.PredictBatch(["tiny"]).Single().Windows);
    }

    [Fact]
    public void Predictions_from_eight_threads_equal_the_sequential_ones()
    {
        using var classifier = NewClassifier();
        var texts = Enumerable.Range(0, 24).Select(i => $"review number {i}: " + (i % 3 == 0 ? "great acting" : "a waste of time")).ToArray();
        var sequential = texts.Select(t => classifier.Predict(t).Logits).ToArray();
        var parallel = new float[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = classifier.Predict(texts[i]).Logits);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void Multi_label_head_learns_independent_labels_and_applies_thresholds()
    {
        string[] tags = ["Billing", "Outage", "Urgent"];
        using var classifier = NewClassifier(ProblemType.MultiLabel, tags);
        var train = new List<TrainingExample>();
        string[] billing = ["I was charged twice this month", "refund my invoice please", "the bill is wrong again"];
        string[] outage = ["the service is down", "nothing loads, servers offline", "cannot connect at all"];
        for (int i = 0; i < 3; i++)
        {
            train.Add(TrainingExample.ForLabels(billing[i], [0], 3));
            train.Add(TrainingExample.ForLabels(outage[i], [1], 3));
            train.Add(TrainingExample.ForLabels("URGENT: " + outage[i] + " right now!!!", [1, 2], 3));
        }
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 15, BatchSize = 9, LearningRate = 3e-4 }).Train(train, train);
        Assert.True(run.Epochs[^1].TrainingLoss < run.Epochs[0].TrainingLoss / 2, $"loss {run.Epochs[0].TrainingLoss} -> {run.Epochs[^1].TrainingLoss}");
        var prediction = classifier.Predict("URGENT: the service is down right now!!!");
        Assert.Contains("Outage", prediction.Labels());
        Assert.DoesNotContain("Billing", prediction.Labels());
        Assert.Empty(prediction.Labels(threshold: 0.999999f));
        Assert.NotNull(run.Epochs[^1].Evaluation!.MultiLabel);
    }

    [Fact]
    public void Regression_head_fits_a_value()
    {
        using var classifier = NewClassifier(ProblemType.Regression, ["stars"]);
        var train = new[] { ("awful", 1f), ("bad", 2f), ("fine", 3f), ("good", 4f), ("excellent", 5f) }
            .Select(x => TrainingExample.ForValues(x.Item1, [x.Item2])).ToList();
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 40, BatchSize = 5, LearningRate = 5e-4 }).Train(train);
        Assert.True(run.Epochs[^1].TrainingLoss < 0.5, $"final MSE {run.Epochs[^1].TrainingLoss}");
        Assert.True(classifier.Predict("excellent").Scores[0] > classifier.Predict("awful").Scores[0] + 2);
    }

    static List<TrainingExample> Tiny() =>
    [
        TrainingExample.ForLabel("I loved it", 1), TrainingExample.ForLabel("I hated it", 0), TrainingExample.ForLabel("wonderful", 1),
        TrainingExample.ForLabel("terrible", 0), TrainingExample.ForLabel("a joy to watch", 1), TrainingExample.ForLabel("a chore to sit through", 0),
        TrainingExample.ForLabel("brilliant acting", 1), TrainingExample.ForLabel("wooden acting", 0),
    ];

    [Fact]
    public void Same_seed_same_data_gives_the_same_loss_curve()
    {
        var losses = new List<List<double>>();
        for (int run = 0; run < 2; run++)
        {
            using var classifier = NewClassifier();
            var curve = new List<double>();
            new Trainer(classifier, new TrainingOptions { Epochs = 2, BatchSize = 2, LearningRate = 1e-4, LoggingSteps = 1, Seed = 7 })
                .Train(Tiny(), progress: new Recorder(p => curve.Add(p.Loss)));
            losses.Add(curve);
        }
        Assert.Equal(8, losses[0].Count);
        Assert.Equal(losses[0], losses[1]);
    }

    [Fact]
    public void The_result_says_where_the_steps_time_went()
    {
        using var classifier = NewClassifier();
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 1e-4 }).Train(Tiny());
        var timings = run.Timings;
        Assert.All(new[] { timings.Forward, timings.Backward, timings.GradientClipping, timings.Optimizer }, t => Assert.True(t > TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, timings.Checkpoints); // no checkpoint folder was given
        // No comparison of one phase's speed with another's: that depends on the machine and its load. The phases are measured inside
        // the run, so their sum cannot exceed it whatever the load.
        Assert.True(timings.Total <= run.Elapsed, $"phases {timings.Total} cannot exceed the run's {run.Elapsed}");

        var unclipped = new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 4, MaxGradNorm = 0 }).Train(Tiny());
        Assert.Equal(TimeSpan.Zero, unclipped.Timings.GradientClipping);
    }

    [Fact]
    public void Frozen_embeddings_and_layers_do_not_change_and_the_rest_does()
    {
        using var classifier = NewClassifier();
        var before = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 1e-3, FreezeEmbeddings = true, FreezeLayers = 2 }).Train(Tiny());
        foreach (var (name, parameter) in classifier.Model.named_parameters())
        {
            bool frozen = name.StartsWith("bert.embeddings.") || name.StartsWith("bert.encoder.layer.0.") || name.StartsWith("bert.encoder.layer.1.");
            bool changed = !parameter.equal(before[name]).all().item<bool>();
            Assert.True(frozen != changed, $"{name}: frozen={frozen}, changed={changed}");
            Assert.True(parameter.requires_grad, $"{name} must be trainable again after training");
        }
        foreach (var t in before.Values) t.Dispose();
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        using var classifier = NewClassifier();
        using var source = new CancellationTokenSource();
        var trainer = new Trainer(classifier, new TrainingOptions { Epochs = 5, BatchSize = 1, LoggingSteps = 1 });
        Assert.Throws<OperationCanceledException>(() => trainer.Train(Tiny(), progress: new Recorder(p => { if (p.Step == 3) source.Cancel(); }), cancellationToken: source.Token));
        Assert.False(classifier.Model.training);
    }

    [Fact]
    public void Early_stopping_ends_the_run_and_the_best_epoch_is_restored()
    {
        using var classifier = NewClassifier();
        // The evaluation set contradicts the training set, so evaluation gets worse while training improves.
        var contradicting = Tiny().Select(e => TrainingExample.ForLabel(e.Text, 1 - e.LabelId)).ToList();
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 10, BatchSize = 8, LearningRate = 2e-4, EarlyStoppingPatience = 2, MetricForBestModel = BestModelMetric.Loss })
            .Train(Tiny(), contradicting);
        Assert.True(run.StoppedEarly);
        Assert.True(run.Epochs.Count < 10);
        var best = run.Epochs[run.BestEpoch - 1].Evaluation!;
        Assert.Equal(run.Epochs.Min(e => e.Evaluation!.Loss), best.Loss);
        Assert.Equal(best.Loss, Evaluation.Run(classifier, contradicting).Loss, 4);
    }

    [Fact]
    public void Learning_rate_warms_up_linearly_then_decays_to_zero()
    {
        Assert.Equal(0, Trainer.Schedule(0, 10, 100));
        Assert.Equal(0.5, Trainer.Schedule(5, 10, 100));
        Assert.Equal(1, Trainer.Schedule(10, 10, 100));
        Assert.Equal(0.5, Trainer.Schedule(55, 10, 100));
        Assert.Equal(0, Trainer.Schedule(100, 10, 100));
        Assert.Equal(1, Trainer.Schedule(0, 0, 100));
    }

    [Fact]
    public void Class_weights_change_the_loss()
    {
        using var classifier = NewClassifier();
        using var logits = tensor(new float[] { 2, 0, 0, 2, 1, 1 }, [3, 2]);
        using var targets = tensor(new long[] { 1, 1, 0 });
        using var weights = tensor(new float[] { 1, 5 });
        using var plain = classifier.Model.Loss(logits, targets);
        using var weighted = classifier.Model.Loss(logits, targets, weights);
        Assert.NotEqual(plain.item<float>(), weighted.item<float>(), 3);
        Assert.Throws<ArgumentException>(() => new Trainer(classifier, new TrainingOptions { ClassWeights = [1f, 2f, 3f] }));
    }

    [Fact]
    public void Label_smoothing_mixes_cross_entropy_with_the_mean_over_all_labels()
    {
        using var scope = NewDisposeScope();
        using var classifier = NewClassifier(labels: ["a", "b", "c"]);
        float[][] rows = [[2, 0, -1], [0.5f, 0.5f, 3]];
        long[] labels = [0, 1];
        var logits = tensor(rows.SelectMany(row => row).ToArray(), [2, 3]);
        var targets = tensor(labels);
        // The expected loss in plain arithmetic, not with the tensor operations under test: per row, log p_j = x_j - log(sum_k exp x_k);
        // smoothing 0.1 gives 0.9 of -log p(true label) and 0.1 of the mean of -log p_j over all labels, averaged over the rows.
        double trueLabel = 0, uniform = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            double logSumExp = Math.Log(rows[i].Sum(x => Math.Exp(x)));
            trueLabel += -(rows[i][labels[i]] - logSumExp) / rows.Length;
            uniform += -rows[i].Average(x => x - logSumExp) / rows.Length;
        }
        double expected = 0.9 * trueLabel + 0.1 * uniform;
        Assert.Equal(expected, classifier.Model.Loss(logits, targets, labelSmoothing: 0.1).item<float>(), 5);
        Assert.Equal(trueLabel, classifier.Model.Loss(logits, targets).item<float>(), 5);
        Assert.NotEqual(expected, classifier.Model.Loss(logits, targets).item<float>(), 3);

        using var multiLabel = NewClassifier(ProblemType.MultiLabel, ["x", "y"]);
        var error = Assert.Throws<ArgumentException>(() => new Trainer(multiLabel, new TrainingOptions { LabelSmoothingFactor = 0.1 }));
        Assert.Contains("single-label", error.Message);
        Assert.Throws<ArgumentException>(() => new Trainer(classifier, new TrainingOptions { LabelSmoothingFactor = 1 }));
    }

    [Fact]
    public void Layerwise_decay_trains_lower_layers_at_smaller_rates()
    {
        using var classifier = NewClassifier();
        var depth = classifier.Model.ParameterDepth();
        Assert.Equal(0, depth("bert.embeddings.word_embeddings.weight"));
        Assert.Equal(1, depth("bert.encoder.layer.0.attention.self.query.weight"));
        Assert.Equal(6, depth("bert.encoder.layer.5.output.dense.bias"));
        Assert.Equal(7, depth("bert.pooler.dense.weight"));
        Assert.Equal(7, depth("classifier.weight"));

        string LayerNorm(int layer) => $"bert.encoder.layer.{layer}.output.LayerNorm.weight";
        var before = Enumerable.Range(0, 6).ToDictionary(l => l, l => classifier.Model.get_parameter(LayerNorm(l))!.detach().clone());
        new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 4, LearningRate = 1e-3, LayerwiseLearningRateDecay = 0.5 }).Train(Tiny());
        // Adam's first steps move every weight by about the learning rate, so each layer moves about half as far as the one above.
        var moved = Enumerable.Range(0, 6).Select(l => (classifier.Model.get_parameter(LayerNorm(l))! - before[l]).abs().mean().item<float>()).ToList();
        for (int l = 1; l < 6; l++) Assert.True(moved[l] > moved[l - 1] * 1.4, $"layer {l} moved {moved[l]:g3}, layer {l - 1} {moved[l - 1]:g3}");
        foreach (var t in before.Values) t.Dispose();
        Assert.Throws<ArgumentException>(() => new Trainer(classifier, new TrainingOptions { LayerwiseLearningRateDecay = 0 }));
    }

    [Fact]
    public void Prediction_and_training_leave_no_tensor_alive()
    {
        using var classifier = NewClassifier();
        string[] texts = ["one short text", "and a second, somewhat longer text to pad against"];
        classifier.PredictBatch(texts); // warm-up: lazily created handles
        long before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) classifier.PredictBatch(texts);
        Assert.Equal(before, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);

        new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 4 }).Train(Tiny(), Tiny());
        long afterFirstRun = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        new Trainer(classifier, new TrainingOptions { Epochs = 2, BatchSize = 4 }).Train(Tiny(), Tiny());
        Assert.Equal(afterFirstRun, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
