using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Search;
using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;
using TypedBert.Training;

namespace TypedBert.Tests.Search;

/// <summary>Searches that train a tiny BERT: trials, memory across trials, the best configuration, and the seeded data splits.</summary>
public sealed class HyperparameterSearchTests
{
    static readonly string[] Labels = ["Negative", "Positive"];

    static string TinyModel(TemporaryFolder folder)
    {
        string model = folder.File("tiny");
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, model);
        return model;
    }

    sealed class Watcher : ISearchObserver
    {
        public List<long> LiveTensorsAfterTrial { get; } = [];
        public List<string> Events { get; } = [];
        public void TrialStarting(int number, TrialParameters parameters) => Events.Add($"start {number}");
        public void TrialFinished(Trial trial)
        {
            Events.Add($"end {trial.Number} {trial.State}");
            LiveTensorsAfterTrial.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }

    [Fact]
    public void Each_trial_trains_a_fresh_classifier_that_is_freed_before_the_next_and_the_best_trial_becomes_a_configuration()
    {
        using var folder = new TemporaryFolder();
        string model = TinyModel(folder);
        var train = CheckpointTests_Sentences("train.tsv", 16);
        var eval = CheckpointTests_Sentences("test.tsv", 8);
        var space = new SearchSpace(
        [
            new LogUniformDimension(TrainingSearchSpace.LearningRate, 1e-4, 1e-2), new IntDimension(TrainingSearchSpace.Epochs, 2, 2),
            new CategoricalDimension(TrainingSearchSpace.Pooling, ["Mean", "Cls"]),
        ]);
        var options = new HyperparameterSearchOptions
        {
            BaseOptions = new TrainingOptions { BatchSize = 8, MaxLength = 24, EmaDecay = 0.9 }, Budget = new SearchBudget(Trials: 4),
            Pruner = new NoPruner(), Sampler = new HaltonSampler(1), StatePath = folder.File("study.json"),
        };
        var watcher = new Watcher();
        var result = new HyperparameterSearch(model, Labels, ProblemType.SingleLabel, space, options).Run(train, eval, watcher);

        Assert.Equal(["start 0", "end 0 Complete", "start 1", "end 1 Complete", "start 2", "end 2 Complete", "start 3", "end 3 Complete"], watcher.Events);
        Assert.All(result.Trials, t => Assert.Equal([1, 2], t.Intermediate.Select(v => v.Step)));
        Assert.All(result.Trials, t => Assert.Equal(t.Intermediate.Max(v => v.Value), t.Value));
        Assert.Equal("accuracy", result.MetricName);
        // Every trial's classifier, optimizer moments, snapshots and weight average are disposed: no tensor outlives its trial.
        Assert.All(watcher.LiveTensorsAfterTrial, count => Assert.Equal(watcher.LiveTensorsAfterTrial[0], count));

        var best = BestConfiguration.From(result, model, options.BaseOptions);
        best.Write(folder.File("best.json"));
        var read = BestConfiguration.Read(folder.File("best.json"));
        Assert.Equal(best, read);
        Assert.Equal(result.Best!.Number, read.Trial);
        var retrain = read.ApplyTo(new TrainingOptions());
        Assert.Equal(result.Best.Parameters.Double(TrainingSearchSpace.LearningRate), retrain.LearningRate);
        Assert.Equal(2, retrain.Epochs);
        Assert.Equal(8, retrain.BatchSize);
        Assert.Equal(24, retrain.MaxLength);
        Assert.Equal(0.9, retrain.EmaDecay);
        Assert.Equal(result.BestPooling, read.Pooling);
        Assert.Contains("\"layer_lr_decay\"", File.ReadAllText(folder.File("best.json")));

        // A second search in the same folder is refused unless it resumes; resumed with the same budget it has nothing left to run.
        var search = new HyperparameterSearch(model, Labels, ProblemType.SingleLabel, space, options);
        Assert.Throws<InvalidOperationException>(() => search.Run(train, eval));
        var resumed = new HyperparameterSearch(model, Labels, ProblemType.SingleLabel, space, options with { Resume = true }).Run(train, eval, watcher);
        Assert.Equal(4, resumed.ResumedTrials);
        Assert.Equal(8, watcher.Events.Count);
        Assert.Equal(result.Best.Number, resumed.Best!.Number);
    }

    [Fact]
    public void A_search_without_evaluation_examples_or_with_checkpoints_is_refused()
    {
        var space = TrainingSearchSpace.Default();
        var search = new HyperparameterSearch("unused", Labels, ProblemType.SingleLabel, space);
        Assert.Contains("no evaluation examples", Assert.Throws<ArgumentException>(() => search.Run([TrainingExample.ForLabel("a", 0)], [])).Message);
        Assert.Contains("trials write no checkpoints", Assert.Throws<ArgumentException>(() =>
            new HyperparameterSearch("unused", Labels, ProblemType.SingleLabel, space, new HyperparameterSearchOptions { BaseOptions = new TrainingOptions { CheckpointDirectory = "x" } })).Message);
        Assert.Contains("allows 0 trials", Assert.Throws<ArgumentException>(() =>
            new HyperparameterSearch("unused", Labels, ProblemType.SingleLabel, space, new HyperparameterSearchOptions { Budget = new SearchBudget(Trials: 0) })).Message);
    }

    [Fact]
    public void The_evaluation_slice_and_the_training_subset_are_seeded_disjoint_and_keep_the_file_order()
    {
        var rows = Enumerable.Range(0, 100).ToList();
        var (remaining, heldOut) = DataSplit.HoldOut(rows, 0.1, seed: 42);
        Assert.Equal(10, heldOut.Count);
        Assert.Equal(90, remaining.Count);
        Assert.Empty(remaining.Intersect(heldOut));
        Assert.Equal(heldOut.Order(), heldOut);
        Assert.Equal(heldOut, DataSplit.HoldOut(rows, 0.1, seed: 42).HeldOut);
        Assert.NotEqual(heldOut, DataSplit.HoldOut(rows, 0.1, seed: 43).HeldOut);
        Assert.Single(DataSplit.HoldOut(rows[..3], 0.01, seed: 1).HeldOut);   // never an empty side
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => DataSplit.HoldOut(rows, 1.0, 1)).Message);

        var subset = DataSplit.Sample(remaining, 30, seed: 42);
        Assert.Equal(30, subset.Count);
        Assert.Subset(remaining.ToHashSet(), subset.ToHashSet());
        Assert.Equal(subset.Order(), subset);
        Assert.Equal(subset, DataSplit.Sample(remaining, 30, seed: 42));
        Assert.Equal(remaining, DataSplit.Sample(remaining, 500, seed: 42));
    }

    static List<TrainingExample> CheckpointTests_Sentences(string file, int count) => Training.CheckpointTests.Sentences(file, count);
}
