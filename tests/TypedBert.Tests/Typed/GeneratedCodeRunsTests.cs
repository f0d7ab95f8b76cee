using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Typed;

namespace TypedBert.Tests.Typed;

/// <summary>A training configuration whose constants all differ from the defaults, so each one must reach Options.</summary>
[BertTrainingConfig(typeof(NewsTopic), Epochs = 2, LearningRate = 3e-5, BatchSize = 4, GradientAccumulationSteps = 2, WarmupSteps = 7,
    WeightDecay = 0.05, MaxLength = 64, FreezeLayers = 1, FreezeEmbeddings = true, Seed = 7)]
public partial class NewsTopicTraining;

/// <summary>A sliding-window configuration: the long-text settings must reach Options, the trainer and the saved model.</summary>
[BertTrainingConfig(typeof(Mood), Epochs = 1, BatchSize = 4, LearningRate = 1e-4, LongText = LongTextStrategy.SlidingWindow, Window = 32, Stride = 16,
    Aggregation = WindowAggregation.Max, MaxWindowsPerDocument = 2)]
public partial class MoodWindowTraining;

/// <summary>
/// What a search found: Fixtures/search/best.json, which the build targets pass to the generator because the attribute names it
/// (nothing in the project file lists it); BatchSize written here wins over the file's.
/// </summary>
[BertTrainingConfig(typeof(NewsTopic), SearchResult = "Fixtures/search/best.json", BatchSize = 4)]
public partial class NewsTopicSearch;

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

    [Fact]
    public void A_search_result_on_the_attribute_gives_the_options_and_classifier_that_train_config_gives()
    {
        var best = global::TypedBert.Search.BestConfiguration.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "search", "best.json"));
        Assert.Equal(best.ApplyTo(new TrainingOptions()) with { BatchSize = 4 }, NewsTopicSearch.Options);
        Assert.Equal((best.Trial, "Fixtures/search/best.json"), (NewsTopicSearch.SearchTrial, NewsTopicSearch.SearchResult));

        // The search's pooling and seed: the same head as TextClassifier.FromPretrained with them, another with the default seed.
        using var classifier = NewsTopicSearch.CreateClassifier();
        Assert.Equal(PoolingStrategy.Cls, classifier.Inner.Model.Config.Pooling);
        using var same = TextClassifier.FromPretrained(best.Model, NewsTopicLabels.Names, pooling: best.Pooling, seed: best.Seed);
        using var otherSeed = TextClassifier.FromPretrained(best.Model, NewsTopicLabels.Names, pooling: best.Pooling);
        const string text = "Shares fall as the central bank raises rates";
        Assert.Equal(same.Predict(text).Logits, classifier.Inner.Predict(text).Logits);
        Assert.NotEqual(otherSeed.Predict(text).Logits, classifier.Inner.Predict(text).Logits);
    }

    /// <summary>A review whose verdict comes after about a hundred tokens of plot: several 32-token windows.</summary>
    static readonly string LongReview = string.Concat(Enumerable.Repeat("The plot wanders through a quiet town and its harbour. ", 10)) + "I loved every minute of it.";

    [Fact]
    public void Long_text_settings_of_the_attribute_train_the_typed_classifier_and_are_read_back_after_Load()
    {
        Assert.Equal(new LongTextOptions
        {
            Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 32, Stride = 16, Aggregation = WindowAggregation.Max, MaxWindowsPerDocument = 2,
        }, MoodWindowTraining.Options.LongText);

        using var folder = new TemporaryFolder();
        string directory = Path.Combine(folder.Path, "mood-windows");
        using (var classifier = MoodWindowTraining.CreateClassifier())
        {
            var result = classifier.Train([(LongReview, Mood.Positive), ("I hated it", Mood.Negative), ("wonderful", Mood.Positive), ("awful", Mood.Negative)],
                MoodWindowTraining.Options);
            // 2 windows of the long review (the cap) and one of each short text: 5 inputs, 2 batches of 4, one step each (truncation: 1 step).
            Assert.Equal(2, result.Steps);
            classifier.Save(directory);
        }
        string config = File.ReadAllText(Path.Combine(directory, "config.json"));
        Assert.Contains("\"typedbert_long_text\": \"window\"", config);
        Assert.Contains("\"typedbert_window\": 32", config);
        Assert.Contains("\"typedbert_aggregation\": \"max\"", config);
        Assert.Contains("\"typedbert_max_windows_per_document\": 2", config);

        using var loaded = MoodClassifier.Load(directory);
        var settings = loaded.Inner.LongTextSettingsFor(null);
        Assert.Equal((LongTextStrategy.SlidingWindow, 32, 16, WindowAggregation.Max), (settings.Strategy, settings.Window, settings.Stride, settings.Aggregation));
        var windows = loaded.Inner.Predict(LongReview);
        Assert.True(windows.Windows > 2, $"{windows.Windows} windows: prediction reads every window, not the training cap");
        Assert.Equal(windows.ScoreOf("Positive"), loaded.PredictScores(LongReview).Positive);
        Assert.Equal(MoodLabels.FromId(windows.LabelId), loaded.Predict(LongReview));
    }

    [Fact]
    public void A_TypedClassifier_loaded_from_a_head_tail_model_reads_the_start_and_the_end_of_a_long_text()
    {
        using var folder = new TemporaryFolder();
        using (var untyped = TextClassifier.FromPretrained(global::TypedBert.Pretrained.EmbeddedModels.DefaultName, MoodLabels.Names)
            .With(s => s with { LongText = new LongTextOptions { Strategy = LongTextStrategy.HeadTail, WindowTokens = 32, HeadTokens = 10 } }))
        {
            untyped.Save(folder.Path);
        }
        using var typed = TypedClassifier<Mood>.Load(folder.Path);
        var settings = typed.Inner.LongTextSettingsFor(null);
        Assert.Equal((LongTextStrategy.HeadTail, 32, 10, 20), (settings.Strategy, settings.Window, settings.Head, settings.Tail));
        Assert.Equal(1, typed.Inner.Predict(LongReview).Windows);
        // The same weights reading the first 30 tokens instead: other input, other scores.
        float headTail = typed.PredictScores(LongReview)[MoodLabels.ToId(Mood.Positive)];
        using var truncating = TypedClassifier<Mood>.Load(folder.Path, new PredictionSettings { LongText = new LongTextOptions { WindowTokens = 32 } });
        Assert.NotEqual(headTail, truncating.PredictScores(LongReview)[MoodLabels.ToId(Mood.Positive)]);
    }
}
