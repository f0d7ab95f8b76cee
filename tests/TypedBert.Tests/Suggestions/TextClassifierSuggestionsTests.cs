using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Suggestions;
using TypedBert.ZeroShot;

namespace TypedBert.Tests.Suggestions;

/// <summary>
/// <c>classifier.Suggest</c> on a zero-shot classifier built from two descriptions (nothing labelled): the picks against an oracle ranked
/// here from <c>PredictBatch</c>'s probabilities, labelled texts left out, the pool's predictions cached until the weights change.
/// </summary>
public sealed class TextClassifierSuggestionsTests
{
    static readonly string[] Pool =
    [
        "A wonderful, moving film with a superb cast.", "Dull, far too long and badly acted.", "The film is a film.",
        "I laughed, I cried, I loved every minute.", "A waste of a good evening.", "It has some good moments and some bad ones.",
        "The plot makes no sense at all.", "Funny, warm and smart.", "Neither good nor bad, just there.", "An instant classic.",
        "The second half drags, but the ending works.", "Terrible.",
    ];

    static TextClassifier ZeroShotSentiment() => ZeroShotClassifier.Create(EmbeddedModels.DefaultName, LabelDescriptions.For(["negative", "positive"],
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["negative"] = ["A negative movie review: the film is bad, boring and disappointing."],
            ["positive"] = ["A positive movie review: the film is good, enjoyable and moving."],
        }));

    [Fact]
    public void Margin_suggests_the_texts_with_the_smallest_gap_between_the_two_labels_and_never_a_labelled_one()
    {
        using var classifier = ZeroShotSentiment();
        string labelled = Pool[5];
        var suggestions = classifier.Suggest(Pool, 4, new SuggestionOptions { Strategy = SuggestionStrategy.Margin, Labelled = [" " + labelled + " "] });

        // Oracle: the gap |p(negative) - p(positive)| of each text from PredictBatch, smallest first, the labelled text left out.
        var predictions = classifier.PredictBatch(Pool);
        var expected = Enumerable.Range(0, Pool.Length).Where(i => Pool[i] != labelled)
            .OrderBy(i => Math.Abs(predictions[i].Scores[0] - predictions[i].Scores[1])).ThenBy(i => i).Take(4).ToArray();
        Assert.Equal(expected, suggestions.Select(s => s.Index));
        Assert.Equal(expected.Select(i => Pool[i]), suggestions.Select(s => s.Text));
        Assert.DoesNotContain(5, suggestions.Select(s => s.Index));
        for (int k = 0; k < suggestions.Count; k++)
        {
            Assert.Equal(1 - Math.Abs(predictions[expected[k]].Scores[0] - predictions[expected[k]].Scores[1]), suggestions[k].Uncertainty, 5);
            Assert.Equal(predictions[expected[k]].Scores, suggestions[k].Prediction.Scores);
        }
    }

    [Fact]
    public void A_second_round_reuses_the_pools_predictions_until_the_weights_change()
    {
        using var classifier = ZeroShotSentiment();
        var options = new SuggestionOptions { Strategy = SuggestionStrategy.Entropy };
        var first = classifier.Suggest(Pool, 3, options);
        var second = classifier.Suggest(Pool, 3, options);
        // The very same prediction objects: nothing was predicted again.
        Assert.All(first.Zip(second), pair => Assert.Same(pair.First.Prediction, pair.Second.Prediction));

        using (classifier.UpdatingWeights()) { } // what training does around its steps
        var third = classifier.Suggest(Pool, 3, options);
        Assert.All(first.Zip(third), pair => Assert.NotSame(pair.First.Prediction, pair.Second.Prediction));
        Assert.Equal(first.Select(s => s.Index), third.Select(s => s.Index)); // the weights did not really change
    }

    [Fact]
    public void Diverse_and_random_give_distinct_texts_the_same_for_a_seed()
    {
        using var classifier = ZeroShotSentiment();
        foreach (var strategy in new[] { SuggestionStrategy.Diverse, SuggestionStrategy.Random })
        {
            var options = new SuggestionOptions { Strategy = strategy, Seed = 3, CandidatesPerSuggestion = 3 };
            var a = classifier.Suggest(Pool, 3, options);
            Assert.Equal(3, a.Select(s => s.Index).Distinct().Count());
            Assert.Equal(a.Select(s => s.Index), classifier.Suggest(Pool, 3, options).Select(s => s.Index));
        }
        Assert.Equal(Pool.Length, classifier.Suggest(Pool, 100, new SuggestionOptions { Strategy = SuggestionStrategy.Random }).Count);
    }

    [Fact]
    public void Bad_requests_say_what_to_give()
    {
        using var classifier = ZeroShotSentiment();
        Assert.Contains("at least one", Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Suggest(Pool, 0)).Message);
        Assert.Contains("no text", Assert.Throws<ArgumentException>(() => classifier.Suggest(["", " "], 2)).Message);
        Assert.Contains("CandidatesPerSuggestion", Assert.Throws<ArgumentOutOfRangeException>(
            () => classifier.Suggest(Pool, 2, new SuggestionOptions { CandidatesPerSuggestion = 0 })).Message);
    }
}
