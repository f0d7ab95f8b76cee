using TypedBert.Data;
using TypedBert.Training;

namespace TypedBert.Tests.Typed;

/// <summary>A training configuration whose constants all differ from the defaults, so each one must reach Options.</summary>
[BertTrainingConfig(typeof(NewsTopic), Epochs = 2, LearningRate = 3e-5, BatchSize = 4, GradientAccumulationSteps = 2, WarmupSteps = 7,
    WeightDecay = 0.05, MaxLength = 64, FreezeLayers = 1, FreezeEmbeddings = true, Seed = 7)]
public partial class NewsTopicTraining;

/// <summary>Columns named on the attribute: ReadExamples reads them unless told otherwise.</summary>
[BertLabels(TextColumn = "headline", LabelColumn = "desk")]
public enum Desk { Local, Foreign }

/// <summary>Generated ReadExamples, Options and CreateClassifier, run rather than only compiled.</summary>
public sealed class GeneratedCodeRunsTests
{
    [Fact]
    public void ReadExamples_reads_TSV_CSV_and_JSON_Lines_with_the_generated_parser()
    {
        using var folder = new TemporaryFolder();
        string tsv = Path.Combine(folder.Path, "train.tsv");
        File.WriteAllText(tsv, "text\tlabel\nPeace talks\tWorld\nNew chip\tsci/tech\nShares fall\t2\n");
        Assert.Equal([("Peace talks", NewsTopic.World), ("New chip", NewsTopic.Science), ("Shares fall", NewsTopic.Business)], NewsTopicLabels.ReadExamples(tsv));

        string csv = Path.Combine(folder.Path, "train.csv");
        File.WriteAllText(csv, "topic,sentence\nSports,\"Late goal, \"\"great\"\" win\"\n");
        Assert.Equal([("Late goal, \"great\" win", NewsTopic.Sports)], NewsTopicLabels.ReadExamples(csv, new DataColumns(Text: "sentence", Label: "topic")));

        string jsonl = Path.Combine(folder.Path, "train.jsonl");
        File.WriteAllText(jsonl, "{\"text\": \"Merger\", \"label\": \"Business\"}\n{\"text\": \"Election\", \"label\": 0}\n");
        Assert.Equal([("Merger", NewsTopic.Business), ("Election", NewsTopic.World)], NewsTopicLabels.ReadExamples(jsonl));

        string desks = Path.Combine(folder.Path, "desks.csv");
        File.WriteAllText(desks, "desk,headline\nForeign,Summit ends\nlocal,Road closed\n");
        Assert.Equal([("Summit ends", Desk.Foreign), ("Road closed", Desk.Local)], DeskLabels.ReadExamples(desks));

        string flags = Path.Combine(folder.Path, "tickets.tsv");
        File.WriteAllText(flags, "text\tlabel\nsite down, refund\tOutage|Billing\nthanks\t\n");
        Assert.Equal([("site down, refund", TicketTags.Outage | TicketTags.Billing), ("thanks", TicketTags.None)], TicketTagsLabels.ReadExamples(flags));
    }

    [Fact]
    public void ReadExamples_names_the_file_and_line_of_an_unknown_label()
    {
        using var folder = new TemporaryFolder();
        string tsv = Path.Combine(folder.Path, "train.tsv");
        File.WriteAllText(tsv, "text\tlabel\nPeace talks\tWorld\nNew chip\tSci-Tech\n");
        var error = Assert.Throws<DataFormatException>(() => NewsTopicLabels.ReadExamples(tsv));
        Assert.Equal(3, error.LineNumber);
        Assert.Contains("unknown label \"Sci-Tech\"", error.Message);
    }

    [Fact]
    public void The_configuration_class_gives_its_constants_as_Options_and_a_classifier_for_the_enum()
    {
        var expected = new TrainingOptions
        {
            Epochs = 2, LearningRate = 3e-5, BatchSize = 4, GradientAccumulationSteps = 2, WarmupSteps = 7, WeightDecay = 0.05,
            MaxLength = 64, FreezeLayers = 1, FreezeEmbeddings = true, Seed = 7,
        };
        Assert.Equal(expected, NewsTopicTraining.Options);
        Assert.Equal(global::TypedBert.Pretrained.EmbeddedModels.DefaultName, NewsTopicTraining.BaseModel);

        using var classifier = NewsTopicTraining.CreateClassifier();
        Assert.Equal(NewsTopicLabels.Names, classifier.Inner.Labels);
        // One short run with the generated options: they are usable as they are, not only equal to a hand-written set.
        var result = classifier.Train([("Peace talks", NewsTopic.World), ("Late goal", NewsTopic.Sports), ("Shares fall", NewsTopic.Business), ("New chip", NewsTopic.Science)],
            NewsTopicTraining.Options with { Epochs = 1 });
        Assert.Single(result.Epochs);
    }
}
