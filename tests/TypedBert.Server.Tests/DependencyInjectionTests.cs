using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TypedBert.Classification;
using TypedBert.Hosting;
using TypedBert.Pretrained;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

[BertLabels]
public enum Sentiment { [Label("negative")] Negative, [Label("positive")] Positive }

[BertLabels]
public enum Topic { World, Sports, [Label("Sci/Tech")] Science }

public enum NotLabels { A, B }

/// <summary><c>AddTypedBertClassifier</c>: options from configuration, checked at start, one lazily loaded classifier per container.</summary>
public sealed class DependencyInjectionTests(SavedModel model) : IClassFixture<SavedModel>
{
    [Fact]
    public void A_typed_classifier_resolves_from_configuration_loads_once_on_first_use_and_is_disposed_with_the_container()
    {
        var logs = new CapturingLoggerProvider();
        var configuration = Configuration(new()
        {
            ["TypedBert:Sentiment:ModelPath"] = model.Path,
            ["TypedBert:Sentiment:MaxLength"] = "64",
            ["TypedBert:Sentiment:BatchSize"] = "4",
        });
        var services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs));
        services.AddTypedBertClassifier<Sentiment>(configuration.GetSection("TypedBert:Sentiment"));
        BertClassifier<Sentiment> classifier;
        using (var provider = services.BuildServiceProvider())
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            classifier = provider.GetRequiredService<BertClassifier<Sentiment>>();
            Assert.Same(classifier, provider.GetRequiredService<BertClassifier<Sentiment>>());
            Assert.False(classifier.IsLoaded);

            string[] texts = ["what a wonderful film", "dreadful"];
            var typed = classifier.PredictBatch(texts);
            Assert.True(classifier.IsLoaded);
            Assert.Equal(64, classifier.Classifier.MaxLength);
            Assert.Equal(4, classifier.Classifier.BatchSize);
            using (var direct = TextClassifier.Load(model.Path, new PredictionSettings { MaxLength = 64 }))
            {
                var expected = direct.PredictBatch(texts);
                Assert.Equal(expected.Select(p => SentimentLabels.FromId(p.LabelId)), typed);
                Assert.Equal(expected[0].ScoreOf("positive"), classifier.PredictScores(texts[0])[Sentiment.Positive], 4);
            }
            Assert.Equal(typed[1], classifier.Predict(texts[1]));
            Assert.Equal(SentimentLabels.Names, BertClassifier<Sentiment>.Labels);
            Assert.Single(logs.Entries, e => e.Category == "TypedBert.Hosting" && e.Message.Contains("loaded from") && e.Message.Contains(" ms"));
        }
        Assert.True(classifier.IsDisposed);
    }

    [Fact]
    public async Task A_missing_model_path_stops_the_host_at_start_naming_the_configuration_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["TypedBert:Topic:MaxLength"] = "128" });
        builder.Services.AddTypedBertClassifier<Topic>(builder.Configuration.GetSection("TypedBert:Topic"));
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("TypedBert:Topic:ModelPath is required", error.Message);
    }

    [Fact]
    public void Every_bad_setting_is_reported_with_its_key()
    {
        var configuration = Configuration(new()
        {
            ["TypedBert:Sentiment:ModelPath"] = Path.Combine(model.Path, "no-such-folder"),
            ["TypedBert:Sentiment:Threads"] = "0",
            ["TypedBert:Sentiment:BatchSize"] = "0",
            ["TypedBert:Sentiment:MaxLength"] = "2",
            ["TypedBert:Sentiment:Device"] = "tpu",
        });
        var services = new ServiceCollection().AddLogging();
        services.AddTypedBertClassifier<Sentiment>(configuration.GetSection("TypedBert:Sentiment"));
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        foreach (var key in new[] { "ModelPath", "Threads", "BatchSize", "MaxLength", "Device" })
            Assert.Contains($"TypedBert:Sentiment:{key}", error.Message);
        Assert.Contains("no such folder", error.Message);
    }

    [Fact]
    public void A_model_whose_labels_differ_from_the_enum_fails_on_load_listing_the_differences()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTypedBertClassifier<Topic>(options => options.ModelPath = model.Path);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var classifier = provider.GetRequiredService<BertClassifier<Topic>>();
        var error = Assert.Throws<InvalidDataException>(() => classifier.Predict("x"));
        Assert.Contains("\"Sci/Tech\" is a label of Topic but not of the model", error.Message);
        Assert.Contains("\"negative\" is a label of the model but not of Topic", error.Message);
    }

    [Fact]
    public void LongText_from_configuration_overrides_the_strategy_saved_with_the_model()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "windows");
        using (var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, SavedModel.Labels))
        using (var saved = created.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 32, Stride = 30 } }))
        {
            saved.Save(path);
        }
        string review = string.Join(' ', Enumerable.Repeat("word", 120)) + " what a wonderful film";

        BertClassifier<Sentiment> Resolve(ServiceProvider provider)
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return provider.GetRequiredService<BertClassifier<Sentiment>>();
        }
        ServiceProvider Container(Dictionary<string, string?> values)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddTypedBertClassifier<Sentiment>(Configuration(values).GetSection("TypedBert:Sentiment"));
            return services.BuildServiceProvider();
        }

        using (var plain = Container(new() { ["TypedBert:Sentiment:ModelPath"] = path }))
        {
            var classifier = Resolve(plain);
            Assert.Equal(LongTextStrategy.SlidingWindow, classifier.Classifier.LongTextSettingsFor(null).Strategy); // no LongText: the model's own
            Assert.Equal(4, classifier.Classifier.Predict(review).Windows); // 124 tokens: windows at 0, 30, 60, 90; 4 left over are too few for a fifth
        }

        using var overridden = Container(new()
        {
            ["TypedBert:Sentiment:ModelPath"] = path,
            ["TypedBert:Sentiment:LongText:Strategy"] = "HeadTail",
            ["TypedBert:Sentiment:LongText:WindowTokens"] = "32",
            ["TypedBert:Sentiment:LongText:HeadTokens"] = "10",
        });
        var headTail = Resolve(overridden);
        var settings = headTail.Classifier.LongTextSettingsFor(null);
        Assert.Equal((LongTextStrategy.HeadTail, 32, 10), (settings.Strategy, settings.Window, settings.Head));
        Assert.Equal(1, headTail.Classifier.Predict(review).Windows);
        // The typed predictions read the text that way too.
        using var direct = TextClassifier.Load(path, new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.HeadTail, WindowTokens = 32, HeadTokens = 10 } });
        Assert.Equal(direct.Predict(review).ScoreOf("positive"), headTail.PredictScores(review)[Sentiment.Positive], 5);
    }

    [Fact]
    public void An_untyped_classifier_is_a_keyed_singleton()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddTypedBertClassifier("reviews", options => options.ModelPath = model.Path);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        var classifier = provider.GetRequiredKeyedService<TextClassifier>("reviews");
        Assert.Same(classifier, provider.GetRequiredKeyedService<TextClassifier>("reviews"));
        Assert.Equal(SavedModel.Labels, classifier.Labels);
    }

    [Fact]
    public void An_enum_without_BertLabels_is_refused_at_registration()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddTypedBertClassifier<NotLabels>(_ => { }));
        Assert.Contains("NotLabels has no generated labels: mark it [BertLabels]", error.Message);
    }

    static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
