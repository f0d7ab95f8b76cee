using TypedBert.Classification;
using TypedBert.Training;
using TypedBert.Typed;

namespace TypedBert.Tests.Typed;

[BertLabels]
public enum Mood { Negative, Positive }

[BertLabels]
public enum NewsTopic { World, Sports, Business, [Label("Sci/Tech")] Science }

[BertLabels, Flags]
public enum TicketTags { None = 0, Billing = 1, Outage = 2, Urgent = 4, Account = 8 }

/// <summary>The code the generator writes for the enums above, exercised at run time.</summary>
public sealed class GeneratedClassifierTests
{
    [Fact]
    public void Label_maps_parse_names_display_labels_and_ids_without_reflection()
    {
        Assert.Equal(4, NewsTopicLabels.Count);
        Assert.Equal(["World", "Sports", "Business", "Sci/Tech"], NewsTopicLabels.Names);
        Assert.Equal(NewsTopic.Science, NewsTopicLabels.Parse("sci/tech"));
        Assert.Equal(NewsTopic.Science, NewsTopicLabels.Parse("Science"));
        Assert.Equal(NewsTopic.Business, NewsTopicLabels.Parse("2"));
        Assert.False(NewsTopicLabels.TryParse("Cooking", out _));
        var error = Assert.Throws<FormatException>(() => NewsTopicLabels.Parse("Cooking"));
        Assert.Contains("Sci/Tech", error.Message);
        Assert.Equal("Sci/Tech", NewsTopicLabels.ToLabel(NewsTopic.Science));
        foreach (var topic in Enum.GetValues<NewsTopic>()) Assert.Equal(topic, NewsTopicLabels.FromId(NewsTopicLabels.ToId(topic)));
        Assert.Equal(["World", "Sports", "Business", "Sci/Tech"], NewsTopicLabels.LabelSet.Names);
    }

    [Fact]
    public void Flags_map_to_multi_hot_label_ids_and_back()
    {
        Assert.Equal(4, TicketTagsLabels.Count);
        Assert.Equal([0, 2], TicketTagsLabels.ToIds(TicketTags.Billing | TicketTags.Urgent));
        Assert.Equal(TicketTags.Outage | TicketTags.Account, TicketTagsLabels.FromIds([1, 3]));
        Assert.Equal([1f, 0f, 1f, 0f], TicketTagsClassifier.ToExample(("x", TicketTags.Billing | TicketTags.Urgent)).Target);
    }

    [Fact]
    public void Each_enum_registers_its_label_map_for_code_that_holds_only_the_type()
    {
        var topics = EnumLabels<NewsTopic>.Get();
        Assert.Equal(NewsTopicLabels.Names, topics.Names);
        Assert.False(topics.IsFlags);
        Assert.Equal(NewsTopic.Science, topics.FromId(topics.IdOf("Sci/Tech")));
        Assert.Throws<InvalidOperationException>(() => topics.FromIds([0]));

        var tags = EnumLabels<TicketTags>.Get();
        Assert.True(tags.IsFlags);
        Assert.Equal(["Billing", "Outage", "Urgent", "Account"], tags.Names);
        Assert.Equal(TicketTags.Outage | TicketTags.Account, tags.FromIds([1, 3]));

        Assert.False(EnumLabels<DayOfWeek>.TryGet(out _));
        Assert.Contains("System.DayOfWeek has no generated labels", Assert.Throws<InvalidOperationException>(() => EnumLabels<DayOfWeek>.Get()).Message);
    }

    [Fact]
    public void A_typed_classifier_trains_saves_loads_and_predicts_through_the_enum()
    {
        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "mood");
        using (var classifier = MoodClassifier.FromPretrained())
        {
            var result = classifier.Train(
                [("I loved it", Mood.Positive), ("I hated it", Mood.Negative), ("wonderful", Mood.Positive), ("awful", Mood.Negative)],
                new TrainingOptions { Epochs = 2, BatchSize = 4, LearningRate = 1e-4 });
            Assert.Equal(2, result.Epochs.Count);
            classifier.Save(directory);
        }
        using var loaded = MoodClassifier.Load(directory);
        MoodClassifier.Default = loaded;
        try
        {
            Mood mood = Mood.Predict("What a wonderful film");
            MoodScores scores = Mood.PredictScores("What a wonderful film");
            Assert.Equal(scores.Best, mood);
            Assert.Equal(1f, scores.Negative + scores.Positive, 4);
            Assert.Equal(scores[Mood.Positive], scores.Positive);
            Assert.Equal([mood, loaded.Predict("awful")], Mood.PredictBatch(["What a wonderful film", "awful"]));
        }
        finally
        {
            MoodClassifier.Default = null!;
        }
    }

    [Fact]
    public void Loading_a_model_whose_labels_differ_lists_every_difference()
    {
        using var folder = new TemporaryFolder();
        using (var other = TextClassifier.FromPretrained(global::TypedBert.Pretrained.EmbeddedModels.DefaultName, ["Sports", "World", "Business", "Tech"]))
            other.Save(folder.Path);
        var error = Assert.Throws<InvalidDataException>(() => NewsTopicClassifier.Load(folder.Path));
        Assert.Contains("\"Sci/Tech\" is a label of NewsTopic but not of the model", error.Message);
        Assert.Contains("\"Tech\" is a label of the model but not of NewsTopic", error.Message);
        Assert.Contains("id 0 is \"Sports\" in the model but \"World\" in NewsTopic", error.Message);
    }

    [Fact]
    public void Predict_without_a_model_says_how_to_set_one()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NewsTopic.Predict("anything"));
        Assert.Contains("NewsTopicClassifier.Default", error.Message);
    }

    [Fact]
    public void A_flags_classifier_returns_the_flags_above_the_threshold()
    {
        using var classifier = TicketTagsClassifier.FromPretrained();
        Assert.Equal(TicketTags.Billing | TicketTags.Outage | TicketTags.Urgent | TicketTags.Account, classifier.Predict("my bill", threshold: 0f));
        Assert.Equal(TicketTags.None, classifier.Predict("my bill", threshold: 1.01f));
        Assert.Equal(ProblemType.MultiLabel, classifier.Inner.ProblemType);
    }
}
