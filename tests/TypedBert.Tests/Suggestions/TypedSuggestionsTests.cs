using TypedBert.Pretrained;
using TypedBert.Suggestions;
using TypedBert.Tests.Typed;
using TypedBert.Training;
using TypedBert.Typed;

namespace TypedBert.Tests.Suggestions;

/// <summary>
/// Typed sources: the user's own objects with a text and a label selector, for suggestions, evaluation and training, the labels staying
/// the enum; each compared with the same call on (text, label) pairs written out by hand.
/// </summary>
public sealed class TypedSuggestionsTests
{
    sealed record Review(int Id, string Body, Mood Mood);

    static readonly Review[] Reviews =
    [
        new(1, "a wonderful, moving film", Mood.Positive), new(2, "dull and far too long", Mood.Negative), new(3, "the cast is superb", Mood.Positive),
        new(4, "a waste of a good evening", Mood.Negative), new(5, "funny, warm and smart", Mood.Positive), new(6, "the plot makes no sense", Mood.Negative),
    ];

    [Fact]
    public void Suggest_returns_the_users_objects_with_the_typed_guess_and_leaves_labelled_ones_out()
    {
        using var classifier = MoodClassifier.FromPretrained(EmbeddedModels.DefaultName, seed: 5);
        var options = new SuggestionOptions { Strategy = SuggestionStrategy.Margin, Labelled = [Reviews[0].Body] };
        var typed = classifier.Suggest(Reviews, r => r.Body, 3, options);
        var plain = classifier.Suggest(Reviews.Select(r => r.Body), 3, options);

        Assert.Equal(plain.Select(s => s.Index), typed.Select(s => s.Index));
        Assert.All(typed, s => Assert.Same(Reviews[s.Index], s.Item));
        Assert.All(typed, s => Assert.Equal(classifier.Predict(s.Item.Body), s.Predicted));
        Assert.DoesNotContain(typed, s => s.Item.Id == 1);
    }

    [Fact]
    public void Evaluate_and_train_from_objects_equal_the_same_calls_on_pairs()
    {
        (string, Mood)[] pairs = [.. Reviews.Select(r => (r.Body, r.Mood))];
        var options = new TrainingOptions { Epochs = 1, BatchSize = 3, LearningRate = 1e-4, Seed = 11 };

        using var fromObjects = MoodClassifier.FromPretrained(EmbeddedModels.DefaultName, seed: 5);
        using var fromPairs = MoodClassifier.FromPretrained(EmbeddedModels.DefaultName, seed: 5);
        Assert.Equal(fromPairs.Evaluate(pairs).Loss, fromObjects.Evaluate(Reviews, r => r.Body, r => r.Mood).Loss, 6);

        var a = fromObjects.Train(Reviews, r => r.Body, r => r.Mood, options);
        var b = fromPairs.Train(pairs, options);
        Assert.Equal(b.Epochs.Select(e => e.TrainingLoss), a.Epochs.Select(e => e.TrainingLoss));
        Assert.Equal(fromPairs.PredictScores(Reviews[2].Body).ToArray(), fromObjects.PredictScores(Reviews[2].Body).ToArray());
    }

    [Fact]
    public void A_null_text_names_the_objects_position()
    {
        Review[] rows = [Reviews[0], Reviews[1] with { Body = null! }];
        var error = Assert.Throws<ArgumentException>(() => TypedSources.Pairs(rows, r => r.Body, r => r.Mood, "examples"));
        Assert.Contains("position 1", error.Message);
    }
}
