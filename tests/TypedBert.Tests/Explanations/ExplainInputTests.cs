using TypedBert.Classification;
using TypedBert.Explanations;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Explanations;

/// <summary>Inputs that need no trained model: words and offsets, the quadrature, and the refusals.</summary>
public sealed class ExplainInputTests : IClassFixture<ExplainInputTests.Untrained>
{
    public sealed class Untrained : IDisposable
    {
        public TextClassifier SingleLabel { get; } = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]);
        public void Dispose() => SingleLabel.Dispose();
    }

    readonly TextClassifier classifier;

    public ExplainInputTests(Untrained untrained) => classifier = untrained.SingleLabel;

    [Fact]
    public void Words_keep_their_character_offsets_and_pieces_map_to_their_word()
    {
        const string text = "  Unbelievably   good,\tfilm!";
        var explanation = classifier.Explain(text, "Positive", new ExplanationOptions { Steps = 4 });
        // By hand: "Unbelievably" at 2, "good," at 17, "film!" at 23.
        Assert.Equal([("Unbelievably", 2, 12), ("good,", 17, 5), ("film!", 23, 5)], explanation.Words.Select(w => (w.Word, w.Start, w.Length)));
        Assert.Equal(classifier.Tokenizer.Tokenize(text), explanation.Tokens.Select(t => t.TokenId));
        // By hand from vocab.txt: un ##bel ##ie ##va ##bly | good , | film !
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 2, 2], explanation.Tokens.Select(t => t.Word));
    }

    [Fact]
    public void Gauss_Legendre_nodes_match_the_tabulated_ones_and_integrate_polynomials_exactly()
    {
        // Oracle: the 2-point rule's nodes 1/2 ± 1/(2√3) with weights 1/2, and ∫₀¹ x⁹ dx = 1/10 (exact for degree 2n-1 = 9 with n = 5).
        var (points, weights) = Quadrature.GaussLegendre(2);
        Assert.Equal(0.5 - 0.5 / Math.Sqrt(3), points[0], 12);
        Assert.Equal(0.5 + 0.5 / Math.Sqrt(3), points[1], 12);
        Assert.Equal([0.5, 0.5], weights.Select(w => Math.Round(w, 12)));
        var (p5, w5) = Quadrature.GaussLegendre(5);
        Assert.Equal(0.1, p5.Zip(w5, (x, w) => w * Math.Pow(x, 9)).Sum(), 12);
        var (t, tw) = Quadrature.Trapezoid(3);
        Assert.Equal([0.0, 0.5, 1.0], t);
        Assert.Equal([0.25, 0.5, 0.25], tw);
    }

    [Fact]
    public void An_unknown_label_is_refused_with_the_models_labels()
    {
        var error = Assert.Throws<ArgumentException>(() => classifier.Explain("fine", "Neutral"));
        Assert.Contains("\"Neutral\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("Negative, Positive", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    public void A_step_count_out_of_range_is_refused_with_the_range(int steps)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => classifier.Explain("fine", options: new ExplanationOptions { Steps = steps }));
        Assert.Contains("between 1 and 1000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \t\u200B\u0001 ")]
    [InlineData("[CLS] [SEP]")]
    public void A_text_of_only_special_characters_gets_zero_attributions_not_NaN(string text)
    {
        foreach (var baseline in new[] { ExplanationBaseline.Padding, ExplanationBaseline.Zero })
        {
            var explanation = classifier.Explain(text, "Positive", new ExplanationOptions { Steps = 4, Baseline = baseline });
            Assert.All(explanation.Words, w => Assert.Equal(0f, w.Score));
            Assert.All(explanation.Tokens, t => Assert.Equal(0f, t.Score));
            Assert.True(float.IsFinite(explanation.Logit) && explanation.CompletenessError == 0, $"logit {explanation.Logit}, error {explanation.CompletenessError}");
        }
    }

    [Fact]
    public void A_multi_label_model_is_explained_per_label()
    {
        using var multi = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Billing", "Outage", "Account"], ProblemType.MultiLabel);
        var explanations = multi.ExplainEach("my invoice is wrong and the site is down");
        Assert.Equal(["Billing", "Outage", "Account"], explanations.Select(e => e.Label));
        // An untrained head moves its logits by a few hundredths, so completeness is checked in absolute terms here.
        Assert.All(explanations, e => Assert.True(Math.Abs(e.Tokens.Sum(t => t.Score) - (e.Logit - e.BaselineLogit)) < 0.01,
            $"{e.Label}: sum {e.Tokens.Sum(t => t.Score)}, difference {e.Logit - e.BaselineLogit}"));
        Assert.NotEqual(explanations[0].Words.Select(w => w.Score), explanations[1].Words.Select(w => w.Score));
    }
}
