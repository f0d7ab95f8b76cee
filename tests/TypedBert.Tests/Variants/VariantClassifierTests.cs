using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Modeling;
using TypedBert.Serialization;
using TypedBert.Training;

namespace TypedBert.Tests.Variants;

/// <summary>Every architecture goes through the same classifier, trainer, sliding window and save/load as BERT.</summary>
public sealed class VariantClassifierTests
{
    public static TheoryData<string> Families => new(ModelFamily.All.Select(f => f.ModelType));

    static ModelFamily Family(string modelType) => ModelFamily.All.Single(f => f.ModelType == modelType);

    [Theory]
    [MemberData(nameof(Families))]
    public void Fine_tuning_lowers_the_loss_and_save_then_load_gives_identical_logits(string modelType)
    {
        var family = Family(modelType);
        using var folder = new TemporaryFolder();
        string baseModel = Path.Combine(folder.Path, "base"), saved = Path.Combine(folder.Path, "saved");
        TinyVariants.Write(family, baseModel);
        var train = TinyVariants.Sentiment(32, out var labels);

        using var classifier = TextClassifier.FromPretrained(baseModel, labels.Names);
        Assert.Equal(family, classifier.Model.Family);
        var before = Evaluation.Run(classifier, train);
        new Trainer(classifier, new TrainingOptions { Epochs = 15, BatchSize = 8, LearningRate = 5e-3, WarmupRatio = 0, Seed = 1 }).Train(train);
        var after = Evaluation.Run(classifier, train);
        Assert.True(after.Loss < before.Loss * 0.8, $"{modelType}: training loss {before.Loss:F4} -> {after.Loss:F4}");

        classifier.Save(saved);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(saved, "config.json"))))
        {
            Assert.Equal(family.ModelType, config.RootElement.GetProperty("model_type").GetString());
            Assert.Equal(family.ClassifierArchitecture, config.RootElement.GetProperty("architectures")[0].GetString());
            if (family == ModelFamily.DistilBert)
            {
                Assert.Equal(32, config.RootElement.GetProperty("dim").GetInt32());
                Assert.False(config.RootElement.TryGetProperty("hidden_size", out _));
            }
        }
        using (var weights = SafeTensorsFile.Open(Path.Combine(saved, "model.safetensors")))
            Assert.All(weights.Tensors.Keys, name => Assert.True(name.StartsWith(family.EncoderPrefix, StringComparison.Ordinal)
                || name.StartsWith("classifier.", StringComparison.Ordinal) || name.StartsWith("pre_classifier.", StringComparison.Ordinal), name));

        using var loaded = TextClassifier.Load(saved);
        Assert.Equal(family, loaded.Model.Family);
        string[] texts = ["A delightful, moving film.", "Dull and far too long.", "Café naïve résumé"];
        var expected = classifier.PredictBatch(texts, ["second text", "of a pair", "here"]);
        var actual = loaded.PredictBatch(texts, ["second text", "of a pair", "here"]);
        for (int i = 0; i < texts.Length; i++) Assert.Equal(expected[i].Logits, actual[i].Logits);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_run_resumed_from_a_checkpoint_ends_with_the_uninterrupted_weights(string modelType)
    {
        using var folder = new TemporaryFolder();
        string baseModel = Path.Combine(folder.Path, "base");
        TinyVariants.Write(Family(modelType), baseModel);
        var train = TinyVariants.Sentiment(24, out var labels);
        TrainingOptions Options(string checkpoints) => new() { Epochs = 2, BatchSize = 8, LearningRate = 5e-3, Seed = 3, CheckpointDirectory = checkpoints, SaveSteps = 2 };

        using var uninterrupted = TextClassifier.FromPretrained(baseModel, labels.Names);
        new Trainer(uninterrupted, Options(Path.Combine(folder.Path, "a"))).Train(train);

        using var source = new CancellationTokenSource();
        using (var interrupted = TextClassifier.FromPretrained(baseModel, labels.Names))
            Assert.Throws<OperationCanceledException>(() => new Trainer(interrupted, Options(Path.Combine(folder.Path, "b")) with { LoggingSteps = 1 })
                .Train(train, progress: new Recorder(p => { if (p.Step == 5) source.Cancel(); }), cancellationToken: source.Token));
        using var resumed = TextClassifier.FromPretrained(baseModel, labels.Names);
        new Trainer(resumed, Options(Path.Combine(folder.Path, "c")) with { ResumeFromCheckpoint = Path.Combine(folder.Path, "b", "checkpoint-4") }).Train(train);

        var expected = uninterrupted.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in resumed.Model.named_parameters())
            Assert.True(parameter.allclose(expected[name], rtol: 0, atol: 1e-6), $"{modelType}: {name} differs from the uninterrupted run");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Long_texts_are_read_in_windows_framed_by_the_models_own_special_tokens(string modelType)
    {
        using var folder = new TemporaryFolder();
        TinyVariants.Write(Family(modelType), folder.Path);
        using var classifier = TextClassifier.FromPretrained(folder.Path, ["Negative", "Positive"]);
        string review = string.Join(" ", Enumerable.Repeat("the film was long and the plot was thin but the acting was great", 12));
        Assert.True(classifier.Tokenizer.Tokenize(review).Count > classifier.MaxLength, "the text must be longer than the model's positions");
        using var windowed = classifier.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow } });

        var windows = windowed.SlidingWindows(review);
        Assert.True(windows.Count > 1);
        Assert.All(windows, w => Assert.Equal(classifier.Tokenizer.ClsTokenId, w.InputIds[0]));
        Assert.All(windows, w => Assert.Equal(classifier.Tokenizer.SepTokenId, w.InputIds[^1]));
        var prediction = windowed.Predict(review);
        Assert.Equal(windows.Count, prediction.Windows);
    }

    [Fact]
    public void Albert_refuses_to_freeze_some_of_its_shared_layers_and_freezes_all_of_them()
    {
        using var folder = new TemporaryFolder();
        TinyVariants.Write(ModelFamily.Albert, folder.Path);
        using var classifier = TextClassifier.FromPretrained(folder.Path, ["Negative", "Positive"]);
        var error = Assert.Throws<ArgumentException>(() => classifier.Model.FrozenParameterPrefixes(embeddings: false, layers: 1));
        Assert.Contains("shares one set of layer weights", error.Message);
        Assert.Contains("albert.encoder.albert_layer_groups.", classifier.Model.FrozenParameterPrefixes(embeddings: true, layers: 2));
    }

    [Fact]
    public void An_unknown_model_type_is_refused_with_the_file_and_the_supported_types()
    {
        using var folder = new TemporaryFolder();
        TinyVariants.Write(ModelFamily.Bert, folder.Path);
        File.WriteAllText(folder.File("config.json"), File.ReadAllText(folder.File("config.json")).Replace("\"bert\"", "\"xlnet\""));
        var error = Assert.Throws<NotSupportedException>(() => TextClassifier.FromPretrained(folder.Path, ["a", "b"]));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("xlnet", error.Message);
        Assert.Contains("longformer", error.Message);
    }
}
