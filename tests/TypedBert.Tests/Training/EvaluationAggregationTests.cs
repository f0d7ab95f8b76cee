using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Tests.Onnx;
using TypedBert.Training;

namespace TypedBert.Tests.Training;

/// <summary>
/// Evaluation of long texts under each window aggregation (what <c>eval --aggregation</c> and training with a sliding window score
/// with): the document's row is worked out by hand from its windows' logits (element-wise max, mean, log of the mean softmax), and
/// the three settings are chosen to give different rows, so evaluating with the wrong one fails.
/// </summary>
public sealed class EvaluationAggregationTests
{
    /// <summary>Three sentences of different tone repeated, so that 32-token windows see different text and give different logits.</summary>
    static readonly string[] Documents =
    [
        string.Join(' ', Enumerable.Repeat("The opening is slow and the dialogue is clumsy. Then the second act is thrilling, funny and beautifully shot. The ending is a mess.", 3)),
        string.Join(' ', Enumerable.Repeat("A warm and generous film. Terrible pacing though, and the score is grating. Still, the cast is wonderful.", 4)),
    ];

    static readonly TrainingExample[] Examples = [TrainingExample.ForLabel(Documents[0], 0), TrainingExample.ForLabel(Documents[1], 1)];

    static TextClassifier NewClassifier()
    {
        using var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Neutral", "Positive"]);
        OnnxExportParityTests.SpreadHeadWeights(created);
        return created.WithSettings(created.Settings with { Precision = InferencePrecision.Float32 });
    }

    static LongTextSettings Windows(WindowAggregation aggregation) => LongTextSettings.Resolve(
        new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 32, Stride = 30, Aggregation = aggregation }, 128, 512);

    [Fact]
    public void Each_aggregation_scores_the_document_row_worked_out_from_its_windows()
    {
        using var classifier = NewClassifier();
        var byAggregation = new Dictionary<WindowAggregation, float[][]>();
        foreach (var aggregation in Enum.GetValues<WindowAggregation>())
        {
            var settings = Windows(aggregation);
            var actual = Evaluation.Logits(classifier, Examples, maxLength: null, longText: settings);
            for (int d = 0; d < Documents.Length; d++)
            {
                var windows = new LongTextEncoder(classifier.Tokenizer, settings).Encode(Documents[d]);
                Assert.True(windows.Count >= 3, $"document {d} has only {windows.Count} windows");
                var rows = windows.Select(w => classifier.ComputeLogits([w])[0]).ToArray();
                var expected = ByHand(rows, aggregation);
                for (int j = 0; j < expected.Length; j++)
                    Assert.True(Math.Abs(expected[j] - actual[d][j]) <= 1e-4, $"{aggregation}, document {d}, label {j}: {actual[d][j]}, by hand {expected[j]}");
            }
            byAggregation[aggregation] = actual;
        }

        // The three settings must give rows far apart, or evaluating with the wrong one would pass.
        var settingsList = Enum.GetValues<WindowAggregation>();
        foreach (var a in settingsList)
            foreach (var b in settingsList.Where(b => b > a))
            {
                double apart = byAggregation[a].Zip(byAggregation[b], (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q)).Max()).Max();
                Assert.True(apart > 0.05, $"{a} and {b} give rows only {apart} apart");
            }
    }

    [Fact]
    public void Evaluation_Run_reports_the_loss_of_the_classifiers_own_aggregation()
    {
        using var classifier = NewClassifier();
        foreach (var aggregation in new[] { WindowAggregation.Max, WindowAggregation.MeanProbability })
        {
            using var windowed = classifier.WithSettings(classifier.Settings with
            {
                LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 32, Stride = 30, Aggregation = aggregation },
            });
            var settings = Windows(aggregation);
            double loss = 0;
            for (int d = 0; d < Documents.Length; d++)
            {
                var rows = new LongTextEncoder(classifier.Tokenizer, settings).Encode(Documents[d]).Select(w => classifier.ComputeLogits([w])[0]).ToArray();
                var row = ByHand(rows, aggregation);
                double max = row.Max(), logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
                loss += (logSum - row[Examples[d].LabelId]) / Documents.Length;   // cross-entropy, averaged over documents
            }
            Assert.Equal(loss, Evaluation.Run(windowed, Examples).Loss, 4);
        }
    }

    /// <summary>The aggregations as the docs define them, written out independently of <see cref="WindowAggregator"/>.</summary>
    static double[] ByHand(float[][] rows, WindowAggregation aggregation)
    {
        int labels = rows[0].Length;
        return aggregation switch
        {
            WindowAggregation.Max => [.. Enumerable.Range(0, labels).Select(j => (double)rows.Max(r => r[j]))],
            WindowAggregation.Mean => [.. Enumerable.Range(0, labels).Select(j => rows.Average(r => (double)r[j]))],
            _ => [.. Enumerable.Range(0, labels).Select(j => Math.Log(rows.Average(r => Math.Exp(r[j]) / r.Sum(v => Math.Exp(v)))))],
        };
    }
}
