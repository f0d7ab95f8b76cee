using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Typed;
using TypedBert.ZeroShot;

namespace TypedBert.Tests.ZeroShot;

/// <summary>An enum that predicts with no model folder and no training data: from its descriptions (Business from its name).</summary>
[BertLabels]
public enum DescribedTopic
{
    [Label(Description = "World news: international politics, governments, wars and diplomacy.")] World,
    [Label(Descriptions = ["Sports news: games, teams, players and matches.", "A report on a match and its score."])] Sports,
    Business,
    [Label("Sci/Tech", Description = "Science and technology news: computers, software, internet, space and research.")] Science,
}

/// <summary>The generated zero-shot path: <c>DescribedTopic.Predict</c> works from the descriptions alone.</summary>
public sealed class GeneratedZeroShotTests
{
    [Fact]
    public void Predict_works_from_the_descriptions_alone_and_matches_the_library()
    {
        Assert.Equal(["World news: international politics, governments, wars and diplomacy."], DescribedTopicLabels.Descriptions.Of(0));
        Assert.Equal(2, DescribedTopicLabels.Descriptions.Of(1).Count);
        Assert.Equal(["Business"], DescribedTopicLabels.Descriptions.Of(2));
        Assert.Equal("Sci/Tech", DescribedTopicLabels.Descriptions.Labels[3]);

        Assert.Equal(DescribedTopic.Sports, DescribedTopic.Predict("The striker scored twice as the home team won the championship final."));
        Assert.Equal(DescribedTopic.Science, DescribedTopic.Predict("Scientists found a new planet with the space telescope."));
        Assert.Equal(DescribedTopic.World, DescribedTopic.Predict("Rebels attacked the capital as the government declared a state of emergency."));

        const string text = "Researchers built a faster computer chip for internet servers.";
        using var library = ZeroShotClassifier.Create(EmbeddedModels.DefaultName, LabelDescriptions.InOrder(
            ["World", "Sports", "Business", "Sci/Tech"],
            [["World news: international politics, governments, wars and diplomacy."], ["Sports news: games, teams, players and matches.", "A report on a match and its score."], [],
                ["Science and technology news: computers, software, internet, space and research."]]));
        Assert.Equal(library.Predict(text).Scores, DescribedTopic.PredictScores(text).ToArray());
    }

    [Fact]
    public void A_flags_enum_cannot_start_zero_shot()
    {
        var error = Assert.Throws<ArgumentException>(() => TypedClassifier<TypedBert.Tests.Typed.TicketTags>.ZeroShot(EmbeddedModels.DefaultName,
            LabelDescriptions.For(["Billing", "Outage", "Urgent", "Account"])));
        Assert.Contains("[Flags] enum: zero-shot classification picks one label", error.Message);
        Assert.Equal(ProblemType.MultiLabel, TypedClassifier<TypedBert.Tests.Typed.TicketTags>.ProblemTypeOf(EnumLabels<TypedBert.Tests.Typed.TicketTags>.Get()));
    }
}
