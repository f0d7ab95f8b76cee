using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Calibration;

public sealed class CalibrationTests
{
    [Fact]
    public void ECE_matches_a_hand_computed_example()
    {
        // By hand, 15 bins (c goes to bin ceil(15c) - 1): .9 -> 13 right, .8 -> 11 wrong, .7 -> 10 right, .6 -> 8 right,
        // .95 and .97 -> 14, one wrong one right (accuracy .5, confidence .96).
        // ECE = (|1-.9| + |0-.8| + |1-.7| + |1-.6|) / 6 + 2/6 * |.5-.96| = (1.6 + .92) / 6 = 0.42.
        float[][] p = [[0.9f, 0.1f], [0.8f, 0.2f], [0.3f, 0.7f], [0.6f, 0.4f], [0.95f, 0.05f], [0.03f, 0.97f]];
        int[] labels = [0, 1, 1, 0, 1, 1];
        Assert.Equal(0.42, CalibrationMetrics.ExpectedCalibrationError(p, labels), 6);
        var bins = ReliabilityBin.Of(p, labels);
        Assert.Equal(2, bins[14].Count);
        Assert.Equal(0.5, bins[14].Accuracy, 6);
    }

    [Fact]
    public void The_fitted_temperature_is_the_minimum_of_a_brute_force_grid()
    {
        // Over-confident logits: the labels follow softmax(z / 2.5), so the best T is near 2.5.
        var random = new Random(11);
        var logits = new List<float[]>();
        var labels = new List<int>();
        for (int i = 0; i < 400; i++)
        {
            float[] z = [.. Enumerable.Range(0, 3).Select(_ => (float)(random.NextDouble() * 8 - 4))];
            var p = CalibrationMetrics.Softmax(z, 2.5);
            double u = random.NextDouble();
            int label = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
            logits.Add(z);
            labels.Add(label);
        }
        double fitted = TemperatureScaling.Fit(logits, labels);
        // Oracle: the NLL on a grid of 4,000 temperatures from 0.05 to 20, evaluated directly.
        double best = Enumerable.Range(0, 4000).Select(k => 0.05 + k * (19.95 / 3999))
            .MinBy(t => CalibrationMetrics.NegativeLogLikelihood(logits, labels, t));
        Assert.Equal(best, fitted, 0.01);
        Assert.InRange(fitted, 1.8, 3.5);
    }

    [Fact]
    public void A_saved_temperature_divides_the_logits_before_the_softmax_and_keeps_the_label()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-calibrate-").FullName;
        try
        {
            using (var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["bad", "good"])) classifier.Save(folder);
            var texts = new[] { "a fine film", "dull and long", "what a mess" };
            IReadOnlyList<Prediction> plain;
            using (var classifier = TextClassifier.Load(folder)) plain = classifier.PredictBatch(texts);
            new CalibrationReport(100, 0.25, 0, 0, 0, 0, 0, [], []).SaveTo(folder);
            using var calibrated = TextClassifier.Load(folder);
            Assert.Equal(0.25f, calibrated.Config.Temperature);
            var scaled = calibrated.PredictBatch(texts);
            for (int i = 0; i < texts.Length; i++)
            {
                Assert.Equal(plain[i].Label, scaled[i].Label);                                           // accuracy unchanged
                var expected = CalibrationMetrics.Softmax(scaled[i].Logits, 0.25);                      // oracle: softmax(z / T), in doubles
                for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], scaled[i].Scores[k], 1e-5);
                Assert.Equal(plain[i].Logits, scaled[i].Logits);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Too_few_rows_or_a_multi_label_model_are_refused_with_the_reason()
    {
        using var single = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["bad", "good"]);
        var few = Enumerable.Range(0, 99).Select(i => TrainingExample.ForLabel($"text {i}", i % 2)).ToList();
        Assert.Contains("at least 100 rows", Assert.Throws<ArgumentException>(() => single.Calibrate(few)).Message, StringComparison.Ordinal);
        using var multi = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["a", "b"], ProblemType.MultiLabel);
        Assert.Contains("single-label", Assert.Throws<ArgumentException>(() => multi.Calibrate(few)).Message, StringComparison.Ordinal);
    }
}
