using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TypedBert.Generators.Parsing;
using TypedBert.Search;
using TypedBert.Training;

namespace TypedBert.Generators.Tests;

/// <summary>[BertTrainingConfig(SearchResult = ...)]: the typed path trains what typedbert tune found, read from best.json at build time.</summary>
public sealed class SearchResultTests
{
    const string Topic = """
        using TypedBert;
        namespace News;

        [BertLabels(Model = "minilm-l6-uncased")]
        public enum Topic { World, Sports, Business, [Label("Sci/Tech")] Science }

        """;

    static string Configuration(string arguments = "") =>
        Topic + $"[BertTrainingConfig(typeof(Topic), SearchResult = \"topic-search/best.json\"{arguments})] public partial class TopicSearch;\n";

    sealed class TemporaryFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"typedbert-search-{Guid.NewGuid():N}.json");
        public void Dispose() => File.Delete(Path);
    }

    /// <summary>The generated class's Options, read from the compiled assembly (no libtorch: reading options runs no tensor code).</summary>
    static TrainingOptions CompiledOptions(Compilation compilation, string typeName)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        // A context of its own, as each test compiles an assembly of the same name; TypedBert and TorchSharp come from the default one.
        stream.Position = 0;
        var type = new AssemblyLoadContext(typeName + Guid.NewGuid().ToString("N")).LoadFromStream(stream).GetType(typeName, throwOnError: true)!;
        return (TrainingOptions)type.GetProperty("Options", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    [Fact]
    public void The_generated_Options_are_what_train_config_applies_and_CreateClassifier_takes_the_pooling_and_seed()
    {
        // best.json as BestConfiguration writes it: read by the library, written again, and that text read by the generator.
        using var original = new TemporaryFile();
        using var written = new TemporaryFile();
        File.WriteAllText(original.Path, GeneratorTests.TopicSearchResult);
        var configuration = BestConfiguration.Read(original.Path);
        configuration.Write(written.Path);

        var result = GeneratorHarness.Run(Configuration(), [("topic-search/best.json", File.ReadAllText(written.Path))]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Equal(configuration.ApplyTo(new TrainingOptions()), CompiledOptions(result.Output, "News.TopicSearch"));
        Assert.Contains("=> global::News.TopicClassifier.FromPretrained(BaseModel, device, pooling: global::TypedBert.Classification.PoolingStrategy.Mean, seed: 7);", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("public const string SearchResult = \"topic-search/best.json\";", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("public const int SearchTrial = 7;", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("// The values marked \"search\" are trial 7 of topic-search/best.json (accuracy 0.9125 after epoch 2 on 10 % of data/train.tsv", result.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_written_on_the_attribute_win_over_the_file_as_the_command_line_wins_over_config()
    {
        var result = GeneratorHarness.Run(Configuration(", Epochs = 2, LearningRate = 5e-5, MaxLength = 0, WarmupSteps = 100, Seed = 3"),
            [("topic-search/best.json", GeneratorTests.TopicSearchResult)]);
        Assert.Empty(result.GeneratorDiagnostics);
        var options = CompiledOptions(result.Output, "News.TopicSearch");
        Assert.Equal((2, 5e-5, null, 100, 3), (options.Epochs, options.LearningRate, options.MaxLength, options.WarmupSteps, options.Seed));
        // The rest is the file's: the warm-up ratio too (WarmupSteps, when written, is what the trainer uses, as with --warmup-steps).
        Assert.Equal((16, 0.1, 0.05, 0.9, 0.1, true, 0.999), (options.BatchSize, options.WarmupRatio, options.WeightDecay, options.LayerwiseLearningRateDecay,
            options.LabelSmoothingFactor, options.GroupByLength, options.EmaDecay));
        Assert.Contains("Epochs = 2,   // [BertTrainingConfig] (the search: 3)", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("MaxLength = null,   // [BertTrainingConfig] (the search: 128)", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("BatchSize = 16,   // search", result.GeneratedText, StringComparison.Ordinal);
        Assert.Contains("seed: 3);", result.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_the_attribute_overrides_is_not_checked_and_a_file_without_labels_or_pooling_is_accepted()
    {
        string file = GeneratorTests.TopicSearchResult.Replace("\"epochs\": 3", "\"epochs\": 0", StringComparison.Ordinal)
            .Replace("\"labels\": [\n    \"World\",\n    \"Sports\",\n    \"Business\",\n    \"Sci/Tech\"\n  ],\n", "", StringComparison.Ordinal)
            .Replace("\"pooling\": \"Mean\",\n", "", StringComparison.Ordinal);
        Assert.Equal("TB0403", Assert.Single(GeneratorHarness.Run(Configuration(), [("topic-search/best.json", file)]).GeneratorDiagnostics).Id);
        var result = GeneratorHarness.Run(Configuration(", Epochs = 2"), [("topic-search/best.json", file)]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("pooling: null, seed: 7);", result.GeneratedText, StringComparison.Ordinal);
    }

    /// <summary>Files BestConfiguration.Read accepts or refuses; the generator must decide the same and, when it reads one, read the same values.</summary>
    public static TheoryData<string> Files() =>
    [
        GeneratorTests.TopicSearchResult,
        GeneratorTests.SearchResultFile("-format"),
        GeneratorTests.SearchResultFile("-labels"),
        GeneratorTests.SearchResultFile("-best_epoch"),
        GeneratorTests.SearchResultFile("-pooling"),
        GeneratorTests.SearchResultFile("-max_length"),
        GeneratorTests.SearchResultFile("-epochs"),
        GeneratorTests.SearchResultFile("-model"),
        GeneratorTests.SearchResultFile("-seed"),
        GeneratorTests.SearchResultFile("format=2"),
        GeneratorTests.SearchResultFile("epochs=2.5"),
        GeneratorTests.SearchResultFile("epochs=2e0"),
        GeneratorTests.SearchResultFile("epochs=\"3\""),
        GeneratorTests.SearchResultFile("epochs=-3"),
        GeneratorTests.SearchResultFile("epochs=null"),
        GeneratorTests.SearchResultFile("epochs=3000000000"),
        GeneratorTests.SearchResultFile("max_length=null"),
        GeneratorTests.SearchResultFile("learning_rate=3"),
        GeneratorTests.SearchResultFile("learning_rate=\"3e-5\""),
        GeneratorTests.SearchResultFile("learning_rate=null"),
        GeneratorTests.SearchResultFile("learning_rate=1E-5"),
        GeneratorTests.SearchResultFile("pooling=\"mean\""),
        GeneratorTests.SearchResultFile("pooling=\"CLS\""),
        GeneratorTests.SearchResultFile("pooling=2"),
        GeneratorTests.SearchResultFile("pooling=7"),
        GeneratorTests.SearchResultFile("pooling=\"Max\""),
        GeneratorTests.SearchResultFile("pooling=\"1\""),
        GeneratorTests.SearchResultFile("pooling=\" Mean\""),
        GeneratorTests.SearchResultFile("pooling=\"Mean,Cls\""),
        GeneratorTests.SearchResultFile("pooling=-1"),
        GeneratorTests.SearchResultFile("value=1e400"),
        GeneratorTests.SearchResultFile("epochs=03"),
        GeneratorTests.SearchResultFile("pooling=null"),
        GeneratorTests.SearchResultFile("model=null"),
        GeneratorTests.SearchResultFile("model=3"),
        GeneratorTests.SearchResultFile("labels=null"),
        GeneratorTests.SearchResultFile("labels=[\"A\", 1]"),
        GeneratorTests.SearchResultFile("labels=\"A\""),
        GeneratorTests.SearchResultFile("group_by_length=false"),
        GeneratorTests.SearchResultFile("group_by_length=1"),
        GeneratorTests.SearchResultFile("group_by_length=null"),
        GeneratorTests.SearchResultFile("+ema_decay=null"),
        GeneratorTests.SearchResultFile("+ema_decay=0.99"),
        GeneratorTests.SearchResultFile("+average_last_epochs=2"),
        GeneratorTests.SearchResultFile("+evaluated_on=7"),
        GeneratorTests.SearchResultFile("+trained_on=\"all of it\""),
        GeneratorTests.SearchResultFile("+unknown={\"nested\": [1, 2]}"),
        GeneratorTests.SearchResultFile("+Epochs=5"),
        GeneratorTests.SearchResultFile("+epochs=5"),
        "[1, 2]",
        "null",
        "{\"format\": 1,}",
        "{} // comment",
        "",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public void The_generator_reads_best_json_by_the_rules_of_BestConfiguration_Read(string text)
    {
        using var file = new TemporaryFile();
        File.WriteAllText(file.Path, text);
        BestConfiguration? runtime = null;
        string? refused = null;
        try { runtime = BestConfiguration.Read(file.Path); }
        catch (InvalidDataException e) { refused = e.Message; }
        var scan = SearchResultReader.Read("best.json", file.Path, SourceText.From(text));
        Assert.True((runtime is null) == (scan.Values is null), $"BestConfiguration.Read: {refused ?? "read"}; the generator: {scan.Error ?? "read"}");
        if (runtime is null || scan.Values is not { } values) return;
        Assert.Equal(runtime.Labels?.ToArray(), values.Labels?.ToArray());
        Assert.Equal(
            (runtime.Model, runtime.Trial, runtime.Metric, runtime.Value, runtime.BestEpoch, runtime.EvaluatedOn, (int?)runtime.Pooling),
            (values.Model, values.Trial, values.Metric, values.Value, values.BestEpoch, values.EvaluatedOn, (int?)values.Pooling));
        // Every option of the table a search writes: what the runtime applies equals what the generator read.
        var applied = runtime.ApplyTo(new TrainingOptions { MaxLength = null }).Values().ToDictionary(v => v.Option, v => v.Value);
        foreach (var option in TrainingOptionTable.Searched)
            Assert.True(applied[option] == values.ValueOf(option), $"{option.JsonKey}: the runtime applies {applied[option]}, the generator read {values.ValueOf(option)}");
    }

    [Fact]
    public void A_changed_search_result_changes_the_generated_code_and_other_files_leave_it_cached()
    {
        var best = GeneratorHarness.File("topic-search/best.json", GeneratorTests.TopicSearchResult);
        var notes = GeneratorHarness.File("notes.txt", "not a search");
        var compilation = GeneratorHarness.Compile(Configuration());
        var driver = GeneratorHarness.Driver(additionalFiles: [best, notes]).RunGenerators(compilation);
        var first = driver.GetRunResult();
        Assert.Empty(first.Diagnostics);
        string Generated(GeneratorDriverRunResult run) => run.GeneratedTrees.Single(t => t.FilePath.EndsWith("TopicSearch.TypedBertTraining.g.cs", StringComparison.Ordinal)).ToString();
        Assert.Contains("LearningRate = 3.2E-05,", Generated(first), StringComparison.Ordinal);
        var scans = first.Results.Single().TrackedSteps[BertLabelsGenerator.Steps.SearchResultScans].SelectMany(s => s.Outputs).ToList();
        Assert.Single(scans, s => ((Model.EquatableArray<Model.SearchResultScan>)s.Value).Count == 1);   // best.json; notes.txt is not read
        Assert.All(scans, s => Assert.Null(GeneratorHarness.FindRoslynObject(s.Value, "SearchResultScans")));

        // Another file changes: best.json is not read again, and the spec and the source are served from the cache.
        driver = driver.ReplaceAdditionalText(notes, GeneratorHarness.File("notes.txt", "still not a search"));
        var second = driver.RunGenerators(compilation).GetRunResult();
        var steps = second.Results.Single().TrackedSteps;
        foreach (var name in new[] { BertLabelsGenerator.Steps.SearchResultRequests, BertLabelsGenerator.Steps.ResolvedTrainingConfigs, BertLabelsGenerator.Steps.TrainingConfigSpecs })
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        Assert.DoesNotContain(steps[BertLabelsGenerator.Steps.SearchResultScans].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.All(second.Results.Single().TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal(Generated(first), Generated(second));

        // best.json changes (another trial won): it is read again and the code follows.
        driver = driver.ReplaceAdditionalText(best, GeneratorHarness.File("topic-search/best.json",
            GeneratorTests.TopicSearchResult.Replace("\"trial\": 7", "\"trial\": 9", StringComparison.Ordinal).Replace("3.2E-05", "4.5E-05", StringComparison.Ordinal)));
        var third = driver.RunGenerators(compilation).GetRunResult();
        Assert.Contains(third.Results.Single().TrackedSteps[BertLabelsGenerator.Steps.SearchResultScans].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(third.Results.Single().TrackedSteps[BertLabelsGenerator.Steps.TrainingConfigSpecs].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("LearningRate = 4.5E-05,   // search", Generated(third), StringComparison.Ordinal);
        Assert.Contains("public const int SearchTrial = 9;", Generated(third), StringComparison.Ordinal);
    }

    [Fact]
    public void The_path_resolves_against_the_project_folder_like_the_training_file()
    {
        Assert.Equal("TB0401", Assert.Single(GeneratorHarness.Run(Configuration(), [("other/topic-search/best.json", GeneratorTests.TopicSearchResult)]).GeneratorDiagnostics).Id);
        Assert.Empty(GeneratorHarness.Run(Configuration().Replace("\"topic-search/best.json\"", "\"./topic-search/../topic-search/best.json\"", StringComparison.Ordinal),
            [("topic-search/best.json", GeneratorTests.TopicSearchResult)]).GeneratorDiagnostics);
    }
}
