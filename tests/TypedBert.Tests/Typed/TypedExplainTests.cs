using TypedBert.Explanations;
using TypedBert.Typed;

namespace TypedBert.Tests.Typed;

/// <summary>Explanations typed by the enum: members in, members out, and a combination of flags refused.</summary>
public sealed class TypedExplainTests
{
    static readonly ExplanationOptions Few = new() { Steps = 4 };

    [Fact]
    public void A_member_is_explained_and_named_by_the_enum()
    {
        using var classifier = NewsTopicClassifier.FromPretrained();
        var explanation = classifier.Explain("the striker scored twice", NewsTopic.Science, Few);
        Assert.Equal(NewsTopic.Science, explanation.Label);
        Assert.Equal("Sci/Tech", explanation.Details.Label);   // the member's label name, not its C# name
        Assert.Equal(["the", "striker", "scored", "twice"], explanation.Words.Select(w => w.Word));
        Assert.Equal(classifier.Predict("the striker scored twice"), classifier.Explain("the striker scored twice", options: Few).Label);
    }

    [Fact]
    public void The_generated_static_Explain_uses_the_default_classifier()
    {
        using var classifier = NewsTopicClassifier.FromPretrained();
        NewsTopicClassifier.Default = classifier;   // no other test sets NewsTopic's default
        try
        {
            var explanation = NewsTopic.Explain("the striker scored twice", NewsTopic.Sports);   // C# 14 static extension member
            Assert.Equal(NewsTopic.Sports, explanation.Label);
            Assert.Equal(4, explanation.Words.Count);
            Assert.Equal(classifier.Predict("the striker scored twice"), NewsTopic.Explain("the striker scored twice").Label);
        }
        finally
        {
            NewsTopicClassifier.Default = null!;
        }
    }

    [Fact]
    public void Flags_are_explained_one_per_label_and_a_combination_is_refused()
    {
        using var classifier = TicketTagsClassifier.FromPretrained();
        var each = classifier.ExplainEach("refund my invoice", Few);
        Assert.Equal([TicketTags.Billing, TicketTags.Outage, TicketTags.Urgent, TicketTags.Account], each.Select(e => e.Label));
        var error = Assert.Throws<ArgumentException>(() => classifier.Explain("refund", TicketTags.Billing | TicketTags.Urgent, Few));
        Assert.Contains("one label at a time", error.Message, StringComparison.Ordinal);
    }
}
