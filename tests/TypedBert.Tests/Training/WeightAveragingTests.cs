using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Averaging;
using TypedBert.Training.Callbacks;
using static TorchSharp.torch;

namespace TypedBert.Tests.Training;

/// <summary>The exponential moving average and the epoch average of the weights: their arithmetic, and their place in training and resuming.</summary>
public sealed class WeightAveragingTests
{
    static nn.Module<Tensor, Tensor> Linear(float[] weights)
    {
        var linear = nn.Linear(weights.Length, 1, hasBias: false);
        Set(linear, weights);
        return linear;
    }

    static void Set(nn.Module module, float[] weights)
    {
        using var noGrad = no_grad();
        using var values = tensor(weights).reshape(1, weights.Length);
        module.named_parameters().Single().parameter.copy_(values);
    }

    static float[] Get(nn.Module module) => module.named_parameters().Single().parameter.detach().data<float>().ToArray();

    static float[] Get(WeightAverage average) => average.Average("weight").data<float>().ToArray();

    static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void The_moving_average_blends_each_update_with_the_decay()
    {
        using var module = Linear([1, 2]);
        using var ema = new ExponentialMovingAverage(module, decay: 0.5, warmup: false);
        Set(module, [3, 4]);
        ema.Update();
        AssertClose([2, 3], Get(ema));               // 0.5 * [1, 2] + 0.5 * [3, 4]
        Set(module, [5, 0]);
        ema.Update();
        AssertClose([3.5, 1.5], Get(ema));           // 0.5 * [2, 3] + 0.5 * [5, 0]
        Assert.Equal(2, ema.Updates);
    }

    [Fact]
    public void With_warm_up_the_decay_rises_from_a_tenth_to_the_one_asked_for()
    {
        using var module = Linear([1, 2]);
        using var ema = new ExponentialMovingAverage(module, decay: 0.999, warmup: true);
        Assert.Equal(0.1, ema.NextDecay, 12);        // (1 + 0) / (10 + 0)
        Set(module, [3, 4]);
        ema.Update();
        AssertClose([0.1 * 1 + 0.9 * 3, 0.1 * 2 + 0.9 * 4], Get(ema));
        Assert.Equal(2.0 / 11, ema.NextDecay, 12);
        Set(module, [5, 0]);
        ema.Update();
        AssertClose([2.0 / 11 * 2.8 + 9.0 / 11 * 5, 2.0 / 11 * 3.8], Get(ema));
        for (int i = 0; i < 20_000; i++) ema.Update();
        Assert.Equal(0.999, ema.NextDecay, 12);      // (1 + n) / (10 + n) passes 0.999 at n = 8,991
    }

    [Fact]
    public void The_epoch_average_is_the_plain_mean_of_what_was_added()
    {
        using var module = Linear([100, -100]);      // what the module held before the first addition does not count
        using var mean = new EpochAverage(module);
        foreach (var weights in new[] { new float[] { 1, 2 }, [3, 6], [5, 1] })
        {
            Set(module, weights);
            mean.Add();
        }
        AssertClose([3, 3], Get(mean));
        Assert.Equal(3, mean.Updates);
    }

    [Fact]
    public void Swapping_in_gives_the_module_the_average_and_swapping_out_gives_back_the_training_weights()
    {
        using var module = Linear([1, 2]);
        using var ema = new ExponentialMovingAverage(module, decay: 0.5, warmup: false);
        Set(module, [3, 4]);
        ema.Update();
        ema.SwapIn();
        AssertClose([2, 3], Get(module));
        Assert.Throws<InvalidOperationException>(ema.Update); // blending the average into itself would be a silent error
        ema.SwapOut();
        AssertClose([3, 4], Get(module));
    }

    [Fact]
    public void A_saved_average_loads_back_with_the_training_weights_it_had_set_aside()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("average.safetensors");
        using (var module = Linear([1, 2]))
        using (var ema = new ExponentialMovingAverage(module, decay: 0.5, warmup: false))
        {
            Set(module, [3, 4]);
            ema.Update();
            ema.SwapIn();
            ema.Save(path);
        }
        using var restored = Linear([0, 0]);
        using var loaded = new ExponentialMovingAverage(restored, decay: 0.5, warmup: false);
        loaded.Load(path);
        Assert.True(loaded.SwappedIn);
        Assert.Equal(1, loaded.Updates);
        AssertClose([2, 3], Get(restored));
        loaded.SwapOut();
        AssertClose([3, 4], Get(restored));

        using var other = Linear([0, 0]);
        using var epochs = new EpochAverage(other);
        Assert.Contains("holds a ema weight average", Assert.Throws<InvalidDataException>(() => epochs.Load(path)).Message);
    }

    [Fact]
    public void Options_refuse_a_decay_outside_zero_to_one_too_many_averaged_epochs_and_both_averages_at_once()
    {
        Assert.Contains("EmaDecay must be in (0, 1)", Assert.Throws<ArgumentException>(() => new TrainingOptions { EmaDecay = 1 }.Validate()).Message);
        Assert.Contains("AverageLastEpochs 4 is more than the 3 epochs",
            Assert.Throws<ArgumentException>(() => new TrainingOptions { Epochs = 3, AverageLastEpochs = 4 }.Validate()).Message);
        Assert.Contains("AverageLastEpochs must be at least 2", Assert.Throws<ArgumentException>(() => new TrainingOptions { AverageLastEpochs = 1 }.Validate()).Message);
        Assert.Contains("choose one", Assert.Throws<ArgumentException>(() => new TrainingOptions { Epochs = 3, EmaDecay = 0.9, AverageLastEpochs = 2 }.Validate()).Message);
    }

    /// <summary>Keeps its own average of the training weights, from what the model holds after each step, to compare with the trainer's.</summary>
    sealed class IndependentAverage(bool perStep, double decay, int firstAveragedEpoch) : ITrainingCallback
    {
        public Dictionary<string, double[]>? Average { get; private set; }
        int updates;
        public List<string> Mismatches { get; } = [];

        public void OnTrainBegin(TrainingContext context) =>
            Average = context.Classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().data<float>().Select(v => (double)v).ToArray());

        public void OnStepEnd(TrainingContext context, TrainerControl control, bool lastOfEpoch)
        {
            if (perStep) Blend(context, 1 - Math.Min(decay, (1.0 + updates) / (10 + updates)));
            else if (lastOfEpoch && context.Run.Epoch >= firstAveragedEpoch) Blend(context, 1.0 / (updates + 1));
        }

        void Blend(TrainingContext context, double share)
        {
            foreach (var (name, parameter) in context.Classifier.Model.named_parameters())
            {
                var now = parameter.detach().data<float>().ToArray();
                var average = Average![name];
                for (int i = 0; i < now.Length; i++) average[i] += share * (now[i] - average[i]);
            }
            updates++;
        }

        public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch)
        {
            // The evaluation that just ran, and the best-model snapshot before this callback, saw the model as it is now.
            if (context.Run.Epoch >= firstAveragedEpoch) Mismatches.AddRange(Compare(context.Classifier, Average!, $"epoch {context.Run.Epoch}: "));
        }
    }

    static IEnumerable<string> Compare(TextClassifier classifier, Dictionary<string, double[]> expected, string where)
    {
        foreach (var (name, parameter) in classifier.Model.named_parameters())
        {
            var actual = parameter.detach().data<float>().ToArray();
            double worst = actual.Select((v, i) => Math.Abs(v - expected[name][i])).Max();
            if (worst > 1e-5) yield return $"{where}{name} differs by {worst}";
        }
    }

    static List<TrainingExample> Sentences(int count) => CheckpointTests.Sentences("train.tsv", count);

    static TextClassifier Tiny(TemporaryFolder folder)
    {
        string model = folder.File("tiny");
        if (!Directory.Exists(model)) Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, model);
        return TextClassifier.FromPretrained(model, ["Negative", "Positive"], seed: 5);
    }

    static TrainingOptions Options => new() { Epochs = 3, BatchSize = 4, LearningRate = 5e-3, MaxLength = 24, Seed = 3, WarmupSteps = 1 };

    [Fact]
    public void The_trainer_evaluates_and_keeps_the_moving_average_of_its_steps()
    {
        using var folder = new TemporaryFolder();
        using var classifier = Tiny(folder);
        var independent = new IndependentAverage(perStep: true, decay: 0.9, firstAveragedEpoch: 1);
        var trainer = new Trainer(classifier, Options with { EmaDecay = 0.9, LoadBestModelAtEnd = false });
        trainer.AdditionalCallbacks.Add(independent);
        trainer.Train(Sentences(12), eval: Sentences(8));
        Assert.Empty(independent.Mismatches);
        Assert.Empty(Compare(classifier, independent.Average!, "after training: "));
    }

    [Fact]
    public void The_trainer_evaluates_and_keeps_the_mean_of_the_last_epochs()
    {
        using var folder = new TemporaryFolder();
        using var classifier = Tiny(folder);
        var independent = new IndependentAverage(perStep: false, decay: 0, firstAveragedEpoch: 2);
        var trainer = new Trainer(classifier, Options with { AverageLastEpochs = 2, LoadBestModelAtEnd = false });
        trainer.AdditionalCallbacks.Add(independent);
        trainer.Train(Sentences(12), eval: Sentences(8));
        Assert.Empty(independent.Mismatches);
        Assert.Empty(Compare(classifier, independent.Average!, "after training: "));
    }

    [Theory]
    [InlineData("ema")]
    [InlineData("epochs")]
    public void A_resumed_run_restores_the_average_and_ends_where_an_uninterrupted_run_ends(string kind)
    {
        using var folder = new TemporaryFolder();
        var train = Sentences(14); // 4 batches per epoch, the last one short
        var eval = Sentences(8);
        var options = (kind == "ema" ? Options with { EmaDecay = 0.8 } : Options with { AverageLastEpochs = 2 }) with { SaveSteps = 2, SaveTotalLimit = null };
        using var uninterrupted = Tiny(folder);
        var expected = new Trainer(uninterrupted, options with { CheckpointDirectory = folder.File("a") }).Train(train, eval);
        Assert.True(File.Exists(Path.Combine(folder.File("a"), "checkpoint-6", WeightAveraging.FileName)));

        // checkpoint-6: mid-epoch 2, the average aside; checkpoint-8: end of epoch 2, the average in the model and the training weights aside.
        foreach (var checkpoint in new[] { "checkpoint-6", "checkpoint-8" })
        {
            using var resumed = Tiny(folder);
            var result = new Trainer(resumed, options with
            {
                CheckpointDirectory = folder.File("resumed-" + checkpoint), ResumeFromCheckpoint = Path.Combine(folder.File("a"), checkpoint),
            }).Train(train, eval);
            Assert.Equal(expected.BestEpoch, result.BestEpoch);
            Assert.Equal(expected.Epochs.Count, result.Epochs.Count);
            for (int e = 0; e < expected.Epochs.Count; e++)
                Assert.True(Math.Abs(expected.Epochs[e].Evaluation!.Loss - result.Epochs[e].Evaluation!.Loss) < 1e-6, $"{kind}, {checkpoint}: epoch {e + 1}'s evaluation loss differs");
            foreach (var (name, parameter) in resumed.Model.named_parameters())
            {
                double difference = (parameter - uninterrupted.Model.get_parameter(name)!).abs().max().item<float>();
                Assert.True(difference <= 1e-6, $"{kind}, {checkpoint}: {name} differs from the uninterrupted run by {difference}");
            }
        }

        using var plain = Tiny(folder);
        var error = Assert.Throws<InvalidOperationException>(() => new Trainer(plain, options with
        {
            EmaDecay = null, AverageLastEpochs = null, CheckpointDirectory = folder.File("plain"), ResumeFromCheckpoint = Path.Combine(folder.File("a"), "checkpoint-6"),
        }).Train(train, eval));
        Assert.Contains("weight averaging", error.Message);
    }
}
