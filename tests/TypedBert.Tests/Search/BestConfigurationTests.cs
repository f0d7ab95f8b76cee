using System.Reflection;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Search;
using TypedBert.Training;

namespace TypedBert.Tests.Search;

/// <summary>best.json without a search: its property names (shared with the source generator), the labels, and what Read refuses.</summary>
public sealed class BestConfigurationTests
{
    static BestConfiguration Full() => new()
    {
        Model = "minilm-l6-uncased", Labels = ["World", "Sports"], Trial = 3, Metric = "accuracy", Value = 0.8, BestEpoch = 2, EvaluatedOn = "dev.tsv",
        TrainedOn = "train.tsv", Pooling = PoolingStrategy.Mean, MaxLength = 64, LearningRate = 3e-5, Epochs = 3, BatchSize = 16, WarmupRatio = 0.1,
        WeightDecay = 0.01, LayerwiseLearningRateDecay = 0.9, LabelSmoothing = 0.05, Seed = 7, GroupByLength = true, EmaDecay = 0.999, AverageLastEpochs = 2,
    };

    [Fact]
    public void Every_property_is_written_under_a_name_of_BestConfigurationFormat_or_of_its_option_row_which_the_generator_reads()
    {
        using var folder = new TemporaryFolder();
        Full().Write(folder.File("best.json"));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("best.json")));
        var written = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var names = typeof(BestConfigurationFormat).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.GetCustomAttribute<ObsoleteAttribute>() is null).Select(f => (string)f.GetRawConstantValue()!)
            .Concat(TrainingOptionTable.Searched.Select(row => row.JsonKey!)).ToList();
        Assert.Equal(names.Order(), written.Order());
        // The search space's names are the same words, so a trial's parameters and best.json read alike.
        foreach (var name in TrainingSearchSpace.Names) Assert.Contains(name, names);
        Assert.Equal(BestConfiguration.CurrentFormat, json.RootElement.GetProperty(BestConfigurationFormat.Format).GetInt32());
    }

    [Fact]
    public void Each_option_is_written_under_its_key_with_its_value()
    {
        // Oracle: the keys best.json was written with before the table named them, with the values Full() gives, read by eye.
        using var folder = new TemporaryFolder();
        Full().Write(folder.File("best.json"));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("best.json")));
        var expected = new Dictionary<string, double>
        {
            ["max_length"] = 64, ["learning_rate"] = 3e-5, ["epochs"] = 3, ["batch_size"] = 16, ["warmup_ratio"] = 0.1, ["weight_decay"] = 0.01,
            ["layer_lr_decay"] = 0.9, ["label_smoothing"] = 0.05, ["seed"] = 7, ["ema_decay"] = 0.999, ["average_last_epochs"] = 2,
        };
        foreach (var (key, value) in expected) Assert.Equal(value, json.RootElement.GetProperty(key).GetDouble());
        Assert.True(json.RootElement.GetProperty("group_by_length").GetBoolean());
        Assert.Equal(Full() with { Labels = null }, BestConfiguration.Read(folder.File("best.json")) with { Labels = null });
    }

    [Fact]
    public void The_labels_round_trip_and_a_file_without_them_still_reads()
    {
        using var folder = new TemporaryFolder();
        Full().Write(folder.File("best.json"));
        Assert.Equal(["World", "Sports"], BestConfiguration.Read(folder.File("best.json")).Labels);
        (Full() with { Labels = null }).Write(folder.File("old.json"));
        Assert.DoesNotContain("\"labels\"", File.ReadAllText(folder.File("old.json")), StringComparison.Ordinal);
        Assert.Null(BestConfiguration.Read(folder.File("old.json")).Labels);
    }

    [Theory]
    [InlineData("\"model\": \"minilm-l6-uncased\"", "\"model\": null", "\"model\" is null, not a text")]
    [InlineData("\"pooling\": \"Mean\"", "\"pooling\": 7", "\"pooling\" is 7, not a pooling strategy (Pooler, Cls, Mean)")]
    [InlineData("\"format\": 1", "\"format\": 2", "configuration format 2; this TypedBert reads format 1")]
    [InlineData("\"weight_decay\": 0.01", "\"weight_decay\": 1e400", "\"weight_decay\" is Infinity, not a finite number")]
    public void Read_refuses_what_the_generator_refuses(string find, string replace, string message)
    {
        using var folder = new TemporaryFolder();
        Full().Write(folder.File("best.json"));
        string text = File.ReadAllText(folder.File("best.json"));
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(folder.File("best.json"), text.Replace(find, replace, StringComparison.Ordinal));
        var error = Assert.Throws<InvalidDataException>(() => BestConfiguration.Read(folder.File("best.json")));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ApplyTo_keeps_what_the_user_wrote_takes_the_search_for_the_rest_and_keeps_what_the_file_does_not_record()
    {
        var given = new TrainingOptions { LearningRate = 1e-4, Epochs = 5, WarmupSteps = 10, MaxLength = 96, Seed = 1 };
        var search = Full() with { MaxLength = null };
        var written = new HashSet<TrainingOption> { TrainingOptionTable.LearningRate, TrainingOptionTable.WarmupSteps, TrainingOptionTable.Seed };
        var merged = search.ApplyTo(given, written.Contains);
        var mergedValues = merged.Values().ToDictionary(v => v.Option, v => v.Value);
        var givenValues = given.Values().ToDictionary(v => v.Option, v => v.Value);
        var fileValues = Full().ApplyTo(new TrainingOptions()).Values().ToDictionary(v => v.Option, v => v.Value);
        foreach (var row in TrainingOptionTable.Searched)
        {
            // explicit > searched > default; the file records no maximum length here, so the given one stays.
            double? expected = written.Contains(row) || row == TrainingOptionTable.MaxLength ? givenValues[row] : fileValues[row];
            Assert.True(expected == mergedValues[row], $"{row.Name}: {mergedValues[row]}, expected {expected}");
        }
        Assert.Equal(10, merged.WarmupSteps);   // written: the searched ratio does not clear it
        Assert.Null(search.ApplyTo(given, _ => false).WarmupSteps);   // not written: the searched ratio replaces the steps
        Assert.Equal(search.ApplyTo(given), search.ApplyTo(given, _ => false));
    }
}
