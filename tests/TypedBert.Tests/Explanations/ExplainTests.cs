using TypedBert.Classification;
using TypedBert.Explanations;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Explanations;

public sealed class ExplainTests(FineTunedSst2 models) : IClassFixture<FineTunedSst2>
{
    [SkippableFact]
    public void Attributions_sum_to_the_logit_difference_between_text_and_baseline_within_5_percent()
    {
        // Oracle: completeness, checked against two plain forward passes of Predict-independent code (the window's logits at
        // alpha 0 and 1), on a fine-tuned model; a wrong weight, node or (x - b) factor breaks it by far more than 5 %.
        foreach (string sentence in FineTunedSst2.TestSentences(4))
        {
            var explanation = models.Trained.Explain(sentence);
            double sum = explanation.Tokens.Sum(t => (double)t.Score);
            double difference = explanation.Logit - explanation.BaselineLogit;
            Assert.True(Math.Abs(sum - difference) <= 0.05 * Math.Abs(difference),
                $"\"{sentence}\": attributions sum to {sum:0.0000}, logit difference {difference:0.0000}");
            Assert.Equal(sum, explanation.Words.Sum(w => (double)w.Score), 3);
            // The explained logit is the prediction's own logit for the label (Predict may run in bf16 on this CPU: 0.01).
            var prediction = models.Trained.Predict(sentence);
            Assert.Equal(prediction.Label, explanation.Label);
            Assert.Equal(prediction.Logits[prediction.LabelId], explanation.Logit, 0.01);
        }
    }

    [SkippableFact]
    public void A_re_initialised_head_gives_attributions_that_rank_the_words_differently()
    {
        var correlations = FineTunedSst2.TestSentences(6, minWords: 8).Select(sentence =>
        {
            var trained = models.Trained.Explain(sentence, "1");
            var random = models.NewHead.Explain(sentence, "1");
            return SpearmanCorrelation.Of(trained.Words.Select(w => (double)w.Score).ToArray(), random.Words.Select(w => (double)w.Score).ToArray());
        }).ToList();
        Assert.True(correlations.Average() < 0.5, $"rank correlations {string.Join(", ", correlations.Select(c => c.ToString("0.00")))}");
    }

    [SkippableFact]
    public void Explaining_a_label_does_not_change_what_the_classifier_predicts_afterwards()
    {
        string sentence = FineTunedSst2.TestSentences(1)[0];
        float[] before = models.Trained.Predict(sentence).Logits;
        models.Trained.Explain(sentence, "0");
        Assert.Equal(before, models.Trained.Predict(sentence).Logits);
    }

    [SkippableFact]
    public void A_long_text_is_explained_window_by_window_and_mapped_back_to_every_word()
    {
        string text = string.Join(" ", FineTunedSst2.TestSentences(6));
        using var narrow = models.Trained.WithSettings(new PredictionSettings { MaxLength = 16 });
        var explanation = narrow.Explain(text, "1");
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(explanation.Windows > 3, $"{explanation.Windows} windows");
        Assert.Equal(words, explanation.Words.Select(w => w.Word));
        Assert.True(explanation.CompletenessError < 0.05, $"completeness error {explanation.CompletenessError:P1}");
        Assert.Contains(explanation.Words.Skip(words.Length - 5), w => w.Score != 0);   // the last window reached the end
    }
}
