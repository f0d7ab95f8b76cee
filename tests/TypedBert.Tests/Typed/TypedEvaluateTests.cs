using TypedBert.Pretrained;

namespace TypedBert.Tests.Typed;

/// <summary>
/// The generated classifier is the typed classifier: it evaluates typed examples itself (no <c>.Inner</c>), and a [Flags] prediction
/// goes from the per-label decisions to the flags without label names.
/// </summary>
public sealed class TypedEvaluateTests
{
    static readonly (string Text, Mood Label)[] Reviews =
    [
        ("a wonderful, moving film", Mood.Positive), ("dull and far too long", Mood.Negative), ("the cast is superb", Mood.Positive),
        ("a waste of a good evening", Mood.Negative), ("funny, warm and smart", Mood.Positive), ("the plot makes no sense", Mood.Negative),
    ];

    [Fact]
    public void Evaluate_scores_typed_examples_as_the_typed_predictions_say()
    {
        using var classifier = MoodClassifier.FromPretrained(EmbeddedModels.DefaultName, seed: 5);
        var result = classifier.Evaluate(Reviews);

        // By hand from the typed calls: accuracy is the share of predictions equal to the label, and the loss is the mean
        // cross-entropy, -log of the probability the classifier gives each example's own label.
        var predicted = classifier.PredictBatch([.. Reviews.Select(r => r.Text)]);
        double accuracy = Reviews.Where((r, i) => predicted[i] == r.Label).Count() / (double)Reviews.Length;
        double loss = Reviews.Average(r => -Math.Log(classifier.PredictScores(r.Text)[r.Label]));
        Assert.Equal(accuracy, result.Classification!.Accuracy, 12);
        Assert.Equal(loss, result.Loss, 4);
        Assert.Equal(Reviews.Length, result.Classification.Count);
    }

    [Fact]
    public void Flags_predictions_set_every_flag_whose_probability_reaches_the_threshold()
    {
        using var classifier = TicketTagsClassifier.FromPretrained(EmbeddedModels.DefaultName, seed: 9);
        string[] tickets = ["I was charged twice and the site is down", "please reset my password", "urgent: nothing loads since this morning"];
        foreach (string ticket in tickets)
        {
            float[] scores = classifier.PredictScores(ticket).ToArray();
            foreach (float? threshold in new float?[] { null, 0.2f, 0.45f, 0.5f, 0.55f, 0.8f })
            {
                // The flag of label id i (Billing, Outage, Urgent, Account in id order) is set when its probability reaches the threshold (0.5 by default).
                var expected = TicketTags.None;
                for (int id = 0; id < scores.Length; id++) if (scores[id] >= (threshold ?? 0.5f)) expected |= TicketTagsLabels.FromId(id);
                Assert.Equal(expected, classifier.Predict(ticket, threshold));
                Assert.Equal(expected, classifier.PredictBatch([ticket], threshold)[0]);
            }
        }
    }
}
