using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Callbacks;

namespace TypedBert.Tests.Training;

/// <summary>The loop's events, as a policy added to the trainer sees them, and a policy that stops the run.</summary>
public sealed class TrainingCallbackTests
{
    sealed class Recording : ITrainingCallback
    {
        public List<string> Events { get; } = [];
        public int StopAfterEpoch { get; init; } = int.MaxValue;

        public void OnTrainBegin(TrainingContext context) => Events.Add("begin");
        public void OnEpochBegin(TrainingContext context) => Events.Add($"epoch {context.Run.Epoch}");
        public void OnBatchEnd(TrainingContext context, float loss) => Events.Add("batch");
        public void OnStepEnd(TrainingContext context, TrainerControl control, bool lastOfEpoch) => Events.Add($"step {context.Run.Step}{(lastOfEpoch ? " last" : "")}");

        public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch)
        {
            // Every callback has judged the epoch: it is recorded and the best epoch decided.
            Events.Add($"end {context.Run.Epoch} best {context.Run.BestEpoch} improved {control.IsNewBest}");
            if (context.Run.Epoch >= StopAfterEpoch) control.ShouldTrainingStop = true;
        }

        public void OnTrainEnd(TrainingContext context) => Events.Add("train end");
        public void OnCleanup(TrainingContext context) => Events.Add("cleanup");
    }

    static readonly TrainingExample[] Four =
    [
        TrainingExample.ForLabel("the film was great", 1), TrainingExample.ForLabel("a dull and long plot", 0),
        TrainingExample.ForLabel("the acting was fine", 1), TrainingExample.ForLabel("a thin plot", 0),
    ];

    static TextClassifier Tiny(TemporaryFolder folder)
    {
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, folder.Path);
        return TextClassifier.FromPretrained(folder.Path, ["Negative", "Positive"]);
    }

    [Fact]
    public void An_added_policy_sees_every_event_in_order_after_the_standard_ones()
    {
        using var folder = new TemporaryFolder();
        using var classifier = Tiny(folder);
        var recording = new Recording();
        var trainer = new Trainer(classifier, new TrainingOptions { Epochs = 2, BatchSize = 2, GradientAccumulationSteps = 2, MaxLength = 16 });
        trainer.AdditionalCallbacks.Add(recording);
        var result = trainer.Train(Four, eval: Four);

        Assert.Equal(2, result.Steps);
        Assert.Equal("begin", recording.Events[0]);
        Assert.Equal(["epoch 1", "batch", "batch", "step 1 last"], recording.Events[1..5]);
        Assert.Equal("end 1 best 1 improved True", recording.Events[5]);
        Assert.Equal(["train end", "cleanup"], recording.Events[^2..]);
    }

    [Fact]
    public void A_policy_that_stops_the_run_ends_it_after_that_epoch()
    {
        using var folder = new TemporaryFolder();
        using var classifier = Tiny(folder);
        var trainer = new Trainer(classifier, new TrainingOptions { Epochs = 5, BatchSize = 4, MaxLength = 16 });
        trainer.AdditionalCallbacks.Add(new Recording { StopAfterEpoch = 2 });
        var result = trainer.Train(Four);
        Assert.Equal(2, result.Epochs.Count);
        Assert.True(result.StoppedEarly);
    }
}
