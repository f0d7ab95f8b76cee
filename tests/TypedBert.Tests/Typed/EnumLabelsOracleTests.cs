using TypedBert.Typed;

namespace TypedBert.Tests.Typed;

/// <summary>
/// <see cref="EnumLabels{TEnum}"/> as generated code builds it, with a label order that is not the members' order (ids reversed),
/// so that every expected id below is written by hand and a lookup that used the member's value instead would fail.
/// </summary>
public sealed class EnumLabelsOracleTests
{
    public enum Mood { Sad, Calm, Glad }

    [Flags]
    public enum Topic { None = 0, Sport = 1, Music = 2, Food = 4 }

    public enum Unregistered { One }

    // Label ids: 0 = Glad, 1 = Calm, 2 = Sad.
    static EnumLabels<Mood> Moods() => new(["glad", "calm", "sad"], isFlags: false, id => (Mood)(2 - id), modelPath: "models/mood");

    // Label ids: 0 = Food, 1 = Sport, 2 = Music.
    static readonly Topic[] TopicOfId = [Topic.Food, Topic.Sport, Topic.Music];

    static EnumLabels<Topic> Topics() => new(["food", "sport", "music"], isFlags: true, id => TopicOfId[id],
        ids => ids.Aggregate(Topic.None, (value, id) => value | TopicOfId[id]));

    [Fact]
    public void Ids_names_and_members_map_through_the_generated_table()
    {
        var moods = Moods();
        Assert.Equal(["glad", "calm", "sad"], moods.Names);
        Assert.False(moods.IsFlags);
        Assert.Equal("models/mood", moods.ModelPath);
        Assert.Equal((Mood.Glad, Mood.Calm, Mood.Sad), (moods.FromId(0), moods.FromId(1), moods.FromId(2)));
        Assert.Equal((0, 1, 2), (moods.ToId(Mood.Glad), moods.ToId(Mood.Calm), moods.ToId(Mood.Sad)));
        Assert.Equal((2, -1), (moods.IdOf("sad"), moods.IdOf("Sad"))); // exact spelling
        var notALabel = Assert.Throws<ArgumentOutOfRangeException>(() => moods.ToId((Mood)7));
        Assert.Contains("not a single Mood label", notALabel.Message);
        Assert.Null(Topics().ModelPath);
    }

    [Fact]
    public void Flags_map_to_every_id_set_in_id_order_and_back()
    {
        var topics = Topics();
        Assert.True(topics.IsFlags);
        Assert.Equal([0, 2], topics.ToIds(Topic.Music | Topic.Food));
        Assert.Equal([0, 1, 2], topics.ToIds(Topic.Music | Topic.Food | Topic.Sport));
        Assert.Empty(topics.ToIds(Topic.None));
        Assert.Equal(Topic.Sport | Topic.Music, topics.FromIds([2, 1]));
        Assert.Equal(1, topics.ToId(Topic.Sport));
        Assert.Throws<ArgumentOutOfRangeException>(() => topics.ToId(Topic.Sport | Topic.Food));
    }

    [Fact]
    public void Single_label_enums_refuse_the_flags_calls_and_flags_need_their_combiner()
    {
        var moods = Moods();
        Assert.Contains("Mood is not a [Flags] enum; use FromId", Assert.Throws<InvalidOperationException>(() => moods.FromIds([0])).Message);
        Assert.Contains("Mood is not a [Flags] enum; use ToId", Assert.Throws<InvalidOperationException>(() => moods.ToIds(Mood.Sad)).Message);
        var missing = Assert.Throws<ArgumentNullException>(() => new EnumLabels<Topic>(["food"], isFlags: true, _ => Topic.Food));
        Assert.Equal("fromIds", missing.ParamName);
    }

    [Fact]
    public void An_enum_without_generated_labels_says_how_to_get_them_and_a_registered_one_is_returned()
    {
        Assert.False(EnumLabels<Unregistered>.TryGet(out var none));
        Assert.Null(none);
        var error = Assert.Throws<InvalidOperationException>(() => EnumLabels<Unregistered>.Get());
        Assert.Equal(EnumLabels<Unregistered>.Missing, error.Message);
        Assert.StartsWith(typeof(Unregistered).FullName + " has no generated labels: mark it [BertLabels]", error.Message);

        var moods = Moods();
        EnumLabels<Mood>.Register(moods);
        Assert.Same(moods, EnumLabels<Mood>.Get());
        Assert.True(EnumLabels<Mood>.TryGet(out var found));
        Assert.Same(moods, found);
    }
}
