using TypedBert.Classification;
using TypedBert.Training;
using TypedBert.Training.Callbacks;
using TypedBert.Training.Checkpoints;

namespace TypedBert.Tests.Training;

/// <summary>
/// The decisions callbacks pass through the <see cref="TrainerControl"/>: the best-model callback judges each evaluation, early stopping
/// and the checkpoint act on that judgement, and the loop stops after the epoch that early stopping decides. The evaluations are
/// scripted, so every expected value below is worked out by hand.
/// </summary>
public sealed class TrainerControlTests
{
    [Fact]
    public void Early_stopping_and_the_best_checkpoint_follow_the_best_model_callbacks_judgement()
    {
        using var folder = new TemporaryFolder();
        Variants.TinyVariants.Write(TypedBert.Modeling.ModelFamily.Bert, folder.File("base"));
        using var classifier = TextClassifier.FromPretrained(folder.File("base"), ["Negative", "Positive"]);
        var options = new TrainingOptions
        {
            Epochs = 6, MetricForBestModel = BestModelMetric.Loss, EarlyStoppingPatience = 2, LoadBestModelAtEnd = false,
            CheckpointDirectory = folder.File("checkpoints"), MaxLength = 16,
        };
        using var optimizer = new AdamWOptimizer(classifier.Model.named_parameters().Select(p => (p.name, p.parameter, 0.0, 1.0)), 0.9, 0.999, 1e-8);
        var fingerprint = new RunFingerprint("0:none", null, 6, 8, 1, 1e-4, 0, 6, 42, 16, false, false, 0, false);
        var context = new TrainingContext(classifier, options, optimizer, fingerprint, eval: [], totalSteps: 6);
        var callbacks = new CallbackHandler([new BestModelTracking(), new EarlyStopping(), new CheckpointAndReportSchedule()]);
        context.Callbacks = callbacks.Callbacks;

        // Loss per epoch (lower is better): 0.70 best, 0.60 best, 0.65 worse (1 without improvement), 0.62 worse (2 = patience: stop).
        double[] losses = [0.70, 0.60, 0.65, 0.62, 0.10, 0.05];
        var judged = new List<bool>();
        var run = context.Run;
        for (; run.Epoch <= options.Epochs && !run.StoppedEarly; run.StartNextEpoch())
        {
            run.Step++; // one optimizer step per epoch
            var evaluation = new EvaluationResult(losses[run.Epoch - 1], null, null, null);
            var end = new EpochEnd(1, evaluation);
            callbacks.Raise((c, control) => c.OnEvaluate(context, control, evaluation));
            callbacks.Raise((c, control) => c.OnEpochEnd(context, control, end));
            judged.Add(callbacks.Control.IsNewBest);
            callbacks.Act(context, end);
            Assert.False(callbacks.Control.IsNewBest || callbacks.Control.ShouldSave || callbacks.Control.ShouldLog); // cleared after acting
        }

        Assert.Equal([true, true, false, false], judged);
        Assert.True(run.StoppedEarly);
        Assert.True(callbacks.Control.ShouldTrainingStop);
        Assert.Equal((2, -0.60, 2), (run.BestEpoch, run.BestScore!.Value, run.EpochsSinceImprovement));
        Assert.Equal(CheckpointStore.NameFor(2), run.BestCheckpoint);
        // A checkpoint after each of the four epochs; the last records the stop and the best checkpoint of epoch 2.
        Assert.Equal(["checkpoint-1", "checkpoint-2", "checkpoint-3", "checkpoint-4"],
            Directory.GetDirectories(folder.File("checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var state = TrainerStateFile.Read(Path.Combine(folder.File("checkpoints"), "checkpoint-4", TrainerStateFile.FileName));
        Assert.Equal(("checkpoint-2", true, 2), (state.BestCheckpoint, state.StoppedEarly, state.EpochsSinceImprovement));
        callbacks.Raise((c, _) => c.OnCleanup(context));
    }
}
