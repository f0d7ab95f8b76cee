using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Callbacks;
using TypedBert.Training.FewShot;

namespace TypedBert.Tests.Training.FewShot;

/// <summary>The few-shot trainer's contrastive phase runs the trainer's callbacks: a report per step, and a stop a callback decides.</summary>
public sealed class FewShotControlTests
{
    sealed class StopAfterFirstEpoch : ITrainingCallback
    {
        public void OnEpochEnd(TrainingContext context, TrainerControl control, EpochEnd epoch) => control.ShouldTrainingStop = true;
    }

    static readonly List<TrainingExample> Four =
    [
        TrainingExample.ForLabel("a dull and boring mess", 0), TrainingExample.ForLabel("the worst film of the year", 0),
        TrainingExample.ForLabel("a wonderful, moving film", 1), TrainingExample.ForLabel("the best film of the year", 1),
    ];

    [Fact]
    public void A_callback_stops_the_contrastive_phase_after_the_epoch_it_decides_and_every_step_is_reported()
    {
        using var folder = new TemporaryFolder();
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, folder.Path);
        using var classifier = TextClassifier.FromPretrained(folder.Path, ["Negative", "Positive"]);
        var options = new FewShotOptions { BodyEpochs = 3, PairIterations = 2, BodyBatchSize = 4, MaxLength = 16, Seed = 5 };
        var reports = new List<TrainingProgress>();
        var trainer = new FewShotTrainer(classifier, options);
        trainer.AdditionalCallbacks.Add(new StopAfterFirstEpoch());
        var result = trainer.Train(Four, progress: new Recorder(reports.Add));

        // By hand: the sampled pairs of one epoch in batches of 4 make ceil(pairs / 4) steps, and only the first of the 3 epochs runs.
        int stepsPerEpoch = (result.Pairs + 3) / 4;
        Assert.True(result.Pairs > 0);
        Assert.Equal(stepsPerEpoch, result.BodySteps);
        Assert.Equal(stepsPerEpoch, reports.Count);
        Assert.Equal(Enumerable.Range(1, stepsPerEpoch), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal((1, 3, 3 * stepsPerEpoch), (r.Epoch, r.Epochs, r.TotalSteps)));
    }
}
