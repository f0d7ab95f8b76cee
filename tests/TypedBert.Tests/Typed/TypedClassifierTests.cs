using TypedBert.Classification;
using TypedBert.Typed;

namespace TypedBert.Tests.Typed;

/// <summary>The runtime typed classifier agrees with the generated code it replaced (the enums are in GeneratedClassifierTests).</summary>
public sealed class TypedClassifierTests
{
    [Fact]
    public void Label_maps_turn_members_into_ids_as_the_generated_code_does()
    {
        var topics = EnumLabels<NewsTopic>.Get();
        foreach (var topic in Enum.GetValues<NewsTopic>()) Assert.Equal(NewsTopicLabels.ToId(topic), topics.ToId(topic));
        Assert.Throws<InvalidOperationException>(() => topics.ToIds(NewsTopic.World));

        var tags = EnumLabels<TicketTags>.Get();
        var value = TicketTags.Billing | TicketTags.Urgent | TicketTags.Account;
        Assert.Equal(TicketTagsLabels.ToIds(value), tags.ToIds(value));
        Assert.Empty(tags.ToIds(TicketTags.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => tags.ToId(TicketTags.Billing | TicketTags.Urgent));
    }

    [Fact]
    public void Problem_types_follow_the_flags_attribute()
    {
        Assert.Equal(ProblemType.SingleLabel, TypedClassifier<NewsTopic>.ProblemTypeOf(EnumLabels<NewsTopic>.Get()));
        Assert.Equal(ProblemType.MultiLabel, TypedClassifier<TicketTags>.ProblemTypeOf(EnumLabels<TicketTags>.Get()));
    }
}
