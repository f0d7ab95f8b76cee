using System.Text.Json.Nodes;
using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Tests.Training;
using TypedBert.Training;
using TypedBert.Typed;
using static TorchSharp.torch;

namespace TypedBert.Tests.Calibration;

/// <summary>The labels of the tiny multi-label fixture as a [Flags] enum.</summary>
[BertLabels, Flags]
public enum ReviewTones { None = 0, [Label("negative")] Negative = 1, [Label("neutral")] Neutral = 2, [Label("positive")] Positive = 4 }

/// <summary>Per-label thresholds of a multi-label model: chosen on held-out rows, saved in config.json, applied by every path that decides labels.</summary>
public sealed class ThresholdCalibrationTests
{
    // Six held-out rows, a column of scores per label of the tiny fixture (negative, neutral, positive), worked by hand:
    // negative: F1 at t in (0.8, 0.9]: 2·1/(1+4) = .4; (0.6, 0.7]: 2·2/(3+4) = .571; (0.3, 0.6]: 2·3/(4+4) = .75; (0, 0.2]: 2·4/(6+4) = .8,
    //           the best, so t = 0.1 (the midpoint of (0, 0.2]); at 0.5 it was .75.
    // neutral:  t in (0.3, 0.9]: 2·1/(1+2) = 2/3; (0.05, 0.1]: 2·2/(4+2) = 2/3 too, a tie: 0.5 lies in the first, so it stays 0.5.
    // positive: t in (0.85, 0.9]: 2·2/(2+2) = 1, so t = 0.875; at 0.5 every row is chosen: 2·2/(6+2) = .5.
    static readonly float[][] Scores =
    [
        [0.9f, 0.9f, 0.95f], [0.8f, 0.3f, 0.9f], [0.7f, 0.2f, 0.85f], [0.6f, 0.1f, 0.8f], [0.3f, 0.05f, 0.7f], [0.2f, 0.04f, 0.6f],
    ];

    static readonly int[][] Applies = [[0, 1, 2], [2], [0], [0, 1], [], [0]];

    static readonly float[] HandThresholds = [0.1f, 0.5f, 0.875f];

    static TrainingExample[] HeldOut() => [.. Applies.Select((ids, i) => TrainingExample.ForLabels($"row {i}", ids, 3))];

    [Fact]
    public void Choose_maximises_the_labels_F1_and_a_tie_keeps_one_half()
    {
        var (t, f1) = ThresholdSelection.Choose([0.9f, 0.8f, 0.7f, 0.6f, 0.3f, 0.2f], [true, false, true, true, false, true]);
        Assert.Equal(0.1f, t, 1e-6f);
        Assert.Equal(0.8, f1, 12);
        (t, f1) = ThresholdSelection.Choose([0.9f, 0.3f, 0.2f, 0.1f, 0.05f, 0.04f], [true, false, false, true, false, false]);
        Assert.Equal(0.5f, t);
        Assert.Equal(2.0 / 3, f1, 12);
    }

    [Fact]
    public void Fit_chooses_each_labels_threshold_and_reports_its_F1_before_and_after()
    {
        using var folder = new TemporaryFolder();
        using var classifier = TrainingOracleTests.TinyWithoutDropout(folder, "bert-multilabel");
        var report = TextClassifierThresholds.Fit(classifier, Scores, HeldOut());
        Assert.Equal(HandThresholds, report.Thresholds, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(["negative", "neutral", "positive"], report.Labels.Select(l => l.Label));
        Assert.Equal([4, 2, 2], report.Labels.Select(l => l.Positives));
        Assert.Equal([0.75, 2.0 / 3, 0.5], report.Labels.Select(l => l.F1Before), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal([0.8, 2.0 / 3, 1.0], report.Labels.Select(l => l.F1After), (a, b) => Math.Abs(a - b) < 1e-12);
        // Micro F1 over the 18 decisions, by hand: before TP 3+1+2 = 6 of 4+1+6 = 11 chosen, 8 positives: 12/19; after TP 4+1+2 = 7 of 6+1+2 = 9 chosen: 14/17.
        Assert.Equal(12.0 / 19, report.MicroF1Before, 12);
        Assert.Equal(14.0 / 17, report.MicroF1After, 12);
    }

    [Fact]
    public void Saved_thresholds_decide_the_labels_of_every_engine_and_of_the_flags_enum()
    {
        using var folder = new TemporaryFolder();
        using (var tiny = TrainingOracleTests.TinyWithoutDropout(folder, "bert-multilabel"))
        {
            // The head's bias sets the probabilities: sigmoid(-1.386) = .2, sigmoid(-.2) = .45, sigmoid(2.197) = .9 (the rest of the head
            // adds less than 0.03 to a logit, which moves none of them across a threshold below).
            var bias = tiny.Model.named_parameters().Single(p => p.name == "classifier.bias").parameter;
            using (no_grad()) bias.copy_(tensor(new float[] { -1.386f, -0.2f, 2.197f }));
            tiny.Save(folder.File("model"));
        }
        var report = new ThresholdReport(6, [.. HandThresholds.Select((t, i) => new LabelThreshold($"label {i}", 2, t, 0, 0))], 0, 0);
        report.SaveTo(folder.File("model"));

        // By hand with (0.1, 0.5, 0.875): .2 >= .1 yes, .45 >= .5 no, .9 >= .875 yes. At 0.5 for all (thresholds ignored): positive only;
        // with the thresholds swapped between the labels (0.875, 0.5, 0.1): positive only.
        const string Text = "the film was great";
        using var classifier = TextClassifier.Load(folder.File("model"));
        Assert.Equal(HandThresholds, classifier.Config.Thresholds!);
        Assert.Equal(["negative", "positive"], classifier.Predict(Text).Labels());
        using var onnx = classifier.WithSettings(classifier.Settings with { Engine = InferenceEngine.OnnxRuntime });
        Assert.Equal(["negative", "positive"], onnx.Predict(Text).Labels());
        using var typed = TypedClassifier<ReviewTones>.Load(folder.File("model"));
        Assert.Equal(ReviewTones.Negative | ReviewTones.Positive, typed.Predict(Text));
        Assert.Equal(ReviewTones.Positive, typed.Predict(Text, threshold: 0.5f));   // an explicit threshold still wins
        Assert.Equal(1.0, Evaluation.Run(classifier, [TrainingExample.ForLabels(Text, [0, 2], 3)]).MultiLabel!.SubsetAccuracy);
    }

    [Fact]
    public void Refusals_name_the_reason_and_the_label()
    {
        using var folder = new TemporaryFolder();
        using var multi = TrainingOracleTests.TinyWithoutDropout(folder, "bert-multilabel");
        // 100 rows; "neutral" applies to 9 of them.
        var rows = Enumerable.Range(0, 100).Select(i => TrainingExample.ForLabels($"row {i}", i < 9 ? [0, 1, 2] : [0, 2], 3)).ToList();
        var error = Assert.Throws<ArgumentException>(() => multi.CalibrateThresholds(rows));
        Assert.Contains("label \"neutral\" applies to 9 of the 100 held-out rows", error.Message, StringComparison.Ordinal);
        Assert.Contains($"at least {TextClassifierThresholds.MinPositives}", error.Message, StringComparison.Ordinal);
        Assert.Contains("at least 100 rows", Assert.Throws<ArgumentException>(() => multi.CalibrateThresholds([.. rows.Take(99)])).Message, StringComparison.Ordinal);
        using var single = TrainingOracleTests.TinyWithoutDropout(folder, "bert");
        Assert.Contains("multi-label models", Assert.Throws<ArgumentException>(() => single.CalibrateThresholds(rows)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_with_Calibrate_applies_the_calibration_of_its_evaluation_data_and_saves_it()
    {
        using var folder = new TemporaryFolder();
        string[] words = ["great film", "dull plot", "fine acting", "thin story", "long and dull", "a great cast"];
        var train = words.Select((w, i) => TrainingExample.ForLabels(w, [i % 3], 3)).ToList();
        var eval = Enumerable.Range(0, 120).Select(i => TrainingExample.ForLabels($"{words[i % words.Length]} {i}", [i % 3, (i + 1) % 3], 3)).ToList();
        var options = new TrainingOptions { Epochs = 1, BatchSize = 6, Seed = 5, Calibrate = true };
        using (var multi = TrainingOracleTests.TinyWithoutDropout(folder, "bert-multilabel"))
        {
            var result = new Trainer(multi, options).Train(train, eval);
            Assert.NotNull(result.Thresholds);
            Assert.Null(result.Calibration);
            // Oracle: calibrating the trained model afterwards chooses the same thresholds, which the classifier now holds and saves.
            Assert.Equal(multi.CalibrateThresholds(eval).Thresholds, result.Thresholds.Thresholds);
            Assert.Equal(result.Thresholds.Thresholds, multi.Config.Thresholds!);
            multi.Save(folder.File("multi"));
            Assert.Equal(result.Thresholds.Thresholds, SequenceClassificationConfig.Load(folder.File("multi/config.json")).Thresholds!);
        }
        using var single = TrainingOracleTests.TinyWithoutDropout(folder, "bert");
        var labelled = eval.Select((e, i) => TrainingExample.ForLabel(e.Text, i % 3)).ToList();
        Assert.Contains("evaluation", Assert.Throws<ArgumentException>(() => new Trainer(single, options).Train(train.Select((e, i) => TrainingExample.ForLabel(e.Text, i % 3)).ToList())).Message,
            StringComparison.Ordinal);
        Assert.Contains("at least 100 rows", Assert.Throws<ArgumentException>(() => new Trainer(single, options).Train([.. labelled.Take(3)], [.. labelled.Take(50)])).Message, StringComparison.Ordinal);
        var calibrated = new Trainer(single, options).Train([.. labelled.Take(6)], labelled);
        Assert.Equal((float)calibrated.Calibration!.Temperature, single.Config.Temperature);
        Assert.Equal(single.Calibrate(labelled).Temperature, calibrated.Calibration.Temperature, 6);
    }
}
