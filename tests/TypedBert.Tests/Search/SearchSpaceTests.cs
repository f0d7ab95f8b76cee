using TypedBert.Classification;
using TypedBert.Search;
using TypedBert.Training;

namespace TypedBert.Tests.Search;

/// <summary>Search spaces: what they refuse before any training, and how a point becomes a trial's values.</summary>
public sealed class SearchSpaceTests
{
    static string Refusal(params SearchDimension[] dimensions) =>
        Assert.Throws<ArgumentException>(() => new SearchSpace(dimensions).Validate()).Message;

    [Fact]
    public void Contradictory_or_empty_dimensions_are_refused_with_the_name_and_the_fix()
    {
        Assert.Equal("search space: warmup_ratio minimum 0.3 is above its maximum 0.1; write MIN:MAX", Refusal(new UniformDimension("warmup_ratio", 0.3, 0.1)));
        Assert.Equal("search space: epochs minimum 4 is above its maximum 2; write MIN:MAX", Refusal(new IntDimension("epochs", 4, 2)));
        Assert.Contains("learning_rate is searched on a log scale, so its minimum must be above 0, not 0", Refusal(new LogUniformDimension("learning_rate", 0, 1e-4)));
        Assert.Contains("learning_rate is searched on a log scale", Refusal(new LogUniformDimension("learning_rate", -1e-5, 1e-4)));
        Assert.Equal("search space: pooling has no choices; list at least one, comma-separated (A,B)", Refusal(new CategoricalDimension("pooling", [])));
        Assert.Contains("lists a choice twice", Refusal(new CategoricalDimension("batch_size", ["16", "16"])));
        Assert.Contains("bounds must be finite", Refusal(new UniformDimension("weight_decay", 0, double.PositiveInfinity)));
        Assert.Contains("seed appears 2 times", Refusal(new IntDimension("seed", 1, 3), new IntDimension("seed", 4, 5)));
        Assert.Contains("nothing to search", Refusal(new IntDimension("epochs", 3, 3), new LogUniformDimension("learning_rate", 1e-4, 1e-4)));
        Assert.Contains("nothing to search", Refusal());
    }

    [Fact]
    public void Fixed_dimensions_take_no_coordinate_and_every_trial_records_them()
    {
        var space = new SearchSpace([new IntDimension("epochs", 3, 3), new LogUniformDimension("learning_rate", 1e-5, 1e-3), new CategoricalDimension("pooling", ["Mean", "Cls"])]);
        Assert.Equal(["learning_rate", "pooling"], space.Searched.Select(d => d.Name));
        var trial = space.Decode([0.5, 0.75]);
        Assert.Equal(["epochs", "learning_rate", "pooling"], trial.Keys);
        Assert.Equal(3, trial.Int("epochs"));
        Assert.Equal(1e-4, trial.Double("learning_rate"), 12);
        Assert.Equal("Cls", trial.Text("pooling"));
        Assert.Throws<ArgumentException>(() => space.Decode([0.5]));
    }

    static string TrainingRefusal(SearchSpace space, ProblemType problemType = ProblemType.SingleLabel, TrainingOptions? baseOptions = null) =>
        Assert.Throws<ArgumentException>(() => TrainingSearchSpace.Validate(space, baseOptions ?? new TrainingOptions(), problemType)).Message;

    [Fact]
    public void A_training_space_is_checked_against_the_trainer_at_every_bound_before_any_trial()
    {
        var learningRate = new LogUniformDimension(TrainingSearchSpace.LearningRate, 1e-5, 1e-4);
        Assert.Equal("search space: learning_rate = 2: LearningRate must be in (0, 1), not 2",
            TrainingRefusal(new SearchSpace([new LogUniformDimension(TrainingSearchSpace.LearningRate, 1e-5, 2)])));
        Assert.Equal("search space: warmup_ratio = 1: WarmupRatio must be in [0, 1), not 1",
            TrainingRefusal(new SearchSpace([learningRate, new UniformDimension(TrainingSearchSpace.WarmupRatio, 0, 1)])));
        Assert.Contains("search space: dropout is not a training hyperparameter (known: learning_rate, epochs",
            TrainingRefusal(new SearchSpace([learningRate, new UniformDimension("dropout", 0, 0.2)])));
        Assert.Contains("search space: pooling = Max: is not a pooling strategy (known: Pooler, Cls, Mean)",
            TrainingRefusal(new SearchSpace([learningRate, new CategoricalDimension(TrainingSearchSpace.Pooling, ["Mean", "Max"])])));
        Assert.Contains("search space: epochs = 2.5: epochs takes whole numbers; 2.5 is not one",
            TrainingRefusal(new SearchSpace([learningRate, new UniformDimension(TrainingSearchSpace.Epochs, 1, 2.5)])));
        Assert.Contains("search space: label_smoothing = 0.1: label smoothing applies to single-label classification; this is MultiLabel",
            TrainingRefusal(new SearchSpace([learningRate, new UniformDimension(TrainingSearchSpace.LabelSmoothing, 0, 0.1)]), ProblemType.MultiLabel));
        Assert.Contains("search space: epochs = 1: AverageLastEpochs 2 is more than the 1 epochs",
            TrainingRefusal(new SearchSpace([learningRate, new IntDimension(TrainingSearchSpace.Epochs, 1, 3)]), baseOptions: new TrainingOptions { AverageLastEpochs = 2 }));
        TrainingSearchSpace.Validate(TrainingSearchSpace.Default(), new TrainingOptions(), ProblemType.SingleLabel);
        TrainingSearchSpace.Validate(TrainingSearchSpace.Default(ProblemType.MultiLabel), new TrainingOptions(), ProblemType.MultiLabel);
    }

    [Fact]
    public void A_trial_becomes_training_options_and_a_pooling_strategy()
    {
        var space = new SearchSpace(
        [
            new LogUniformDimension(TrainingSearchSpace.LearningRate, 1e-5, 1e-3), new IntDimension(TrainingSearchSpace.Epochs, 2, 2),
            new CategoricalDimension(TrainingSearchSpace.BatchSize, ["8", "32"]), new UniformDimension(TrainingSearchSpace.WarmupRatio, 0.1, 0.1),
            new UniformDimension(TrainingSearchSpace.WeightDecay, 0, 0.1), new UniformDimension(TrainingSearchSpace.LayerwiseLearningRateDecay, 0.9, 0.9),
            new UniformDimension(TrainingSearchSpace.LabelSmoothing, 0.05, 0.05), new CategoricalDimension(TrainingSearchSpace.Pooling, ["cls", "Mean"]),
            new IntDimension(TrainingSearchSpace.Seed, 7, 7),
        ]);
        var trial = space.Decode([0.5, 0.9, 0.25, 0.1]);
        var options = TrainingSearchSpace.Apply(trial, new TrainingOptions { MaxLength = 64, WarmupSteps = 5 });
        Assert.Equal(1e-4, options.LearningRate, 12);
        Assert.Equal(2, options.Epochs);
        Assert.Equal(32, options.BatchSize);
        Assert.Equal(0.1, options.WarmupRatio);
        Assert.Null(options.WarmupSteps);       // a searched ratio replaces fixed warm-up steps
        Assert.Equal(0.025, options.WeightDecay, 12);
        Assert.Equal(0.9, options.LayerwiseLearningRateDecay);
        Assert.Equal(0.05, options.LabelSmoothingFactor);
        Assert.Equal(7, options.Seed);
        Assert.Equal(64, options.MaxLength);
        Assert.Equal(PoolingStrategy.Cls, TrainingSearchSpace.PoolingOf(trial));
    }
}
