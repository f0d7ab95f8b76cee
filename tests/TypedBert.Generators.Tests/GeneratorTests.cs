using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedBert.Generators.Tests;

public sealed class GeneratorTests
{
    const string Topic = """
        using TypedBert;
        namespace News;

        [BertLabels(Model = "minilm-l6-uncased", ModelPath = "models/topic")]
        public enum Topic { World, Sports, Business, [Label("Sci/Tech")] Science }
        """;

    /// <summary>A zero-shot enum: no ModelPath, one description, several, and a label described by its name.</summary>
    const string TopicZeroShot = """
        using TypedBert;
        namespace News;

        [BertLabels]
        public enum Topic
        {
            [Label(Description = "world news: politics, governments and diplomacy")] World,
            [Label(Descriptions = ["sports news: games and teams", "a report on a match and its score"])] Sports,
            Business,
            [Label("Sci/Tech", Description = "science and \"technology\" news")] Science,
        }
        """;

    const string Tags = """
        using System;
        using TypedBert;
        namespace Support;

        [BertLabels, Flags]
        internal enum Tags { None = 0, Urgent = 1, Billing = 2, Outage = 4 }
        """;

    /// <summary>Goes after <see cref="Topic"/> in the same file (inside its namespace).</summary>
    const string TopicTraining = """
        [TypedBert.BertTrainingConfig(typeof(Topic), Epochs = 3, LearningRate = 2e-5, BatchSize = 8, GradientAccumulationSteps = 4,
            WarmupSteps = 500, WeightDecay = 0.01, MaxLength = 512, FreezeLayers = 2)]
        public partial class TopicTraining;
        """;

    /// <summary>A few-shot configuration, after <see cref="Topic"/>.</summary>
    const string TopicFewShot = """
        [TypedBert.BertTrainingConfig(typeof(Topic), Method = TypedBert.TrainingMethod.SetFit, PairIterations = 40, BodyLearningRate = 1e-4,
            HeadSteps = 500, BatchSize = 8, MaxLength = 64, Seed = 7)]
        public partial class TopicFewShot;
        """;

    /// <summary>A sliding-window configuration, after <see cref="Topic"/>: every long-text setting reaches the generated Options.</summary>
    const string TopicLongText = """
        [TypedBert.BertTrainingConfig(typeof(Topic), MaxLength = 256, LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, Window = 128,
            Stride = 100, Aggregation = TypedBert.Classification.WindowAggregation.MeanProbability, MaxWindowsPerDocument = 8)]
        public partial class TopicLongText;
        """;

    /// <summary>A configuration that trains what a search found, after <see cref="Topic"/>; Epochs written on the attribute wins over the file.</summary>
    const string TopicSearch = """
        [TypedBert.BertTrainingConfig(typeof(Topic), SearchResult = "topic-search/best.json", Epochs = 2, FreezeLayers = 1)]
        public partial class TopicSearch;
        """;

    /// <summary>The best.json of a search for <see cref="Topic"/> as typedbert tune writes it (BestConfiguration.Write).</summary>
    internal const string TopicSearchResult = """
        {
          "format": 1,
          "model": "minilm-l6-uncased",
          "labels": [
            "World",
            "Sports",
            "Business",
            "Sci/Tech"
          ],
          "trial": 7,
          "metric": "accuracy",
          "value": 0.9125,
          "best_epoch": 2,
          "evaluated_on": "10 % of data/train.tsv (400 rows, --eval-fraction 0.1 --split-seed 42)",
          "trained_on": "3000 of 3600 training rows of data/train.tsv (--train-rows 3000 --split-seed 42)",
          "pooling": "Mean",
          "max_length": 128,
          "learning_rate": 3.2E-05,
          "epochs": 3,
          "batch_size": 16,
          "warmup_ratio": 0.1,
          "weight_decay": 0.05,
          "layer_lr_decay": 0.9,
          "label_smoothing": 0.1,
          "seed": 7,
          "group_by_length": true,
          "ema_decay": 0.999
        }

        """;

    /// <summary>Compares with the checked-in baseline; TYPEDBERT_UPDATE_BASELINES=1 rewrites it instead.</summary>
    static void MatchesBaseline(string name, string generated)
    {
        string folder = Path.Combine(FindTestsFolder(), "Baselines");
        string path = Path.Combine(folder, name + ".g.cs.txt");
        if (Environment.GetEnvironmentVariable("TYPEDBERT_UPDATE_BASELINES") == "1")
        {
            File.WriteAllText(path, generated);
            return;
        }
        Assert.True(File.Exists(path), $"no baseline {path}; run the tests with TYPEDBERT_UPDATE_BASELINES=1 and review the file");
        Assert.Equal(File.ReadAllText(path), generated);
    }

    // Walks up from the test binaries: CallerFilePath is mapped to "/_/" in CI (deterministic) builds, so it cannot locate sources.
    static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TypedBert.sln"))) return folder.FullName;
        throw new InvalidOperationException($"TypedBert.sln not found above {AppContext.BaseDirectory}");
    }

    static string FindTestsFolder() => Path.Combine(FindRepositoryRoot(), "tests", "TypedBert.Generators.Tests");

    [Theory]
    [InlineData("Topic.CSharp14", Topic, LanguageVersion.Preview)]
    [InlineData("Topic.CSharp13", Topic, LanguageVersion.CSharp13)]
    [InlineData("Tags.CSharp14", Tags, LanguageVersion.Preview)]
    [InlineData("TopicTraining", Topic + "\n" + TopicTraining, LanguageVersion.Preview)]
    [InlineData("TopicFewShot", Topic + "\n" + TopicFewShot, LanguageVersion.Preview)]
    [InlineData("TopicLongText", Topic + "\n" + TopicLongText, LanguageVersion.Preview)]
    [InlineData("TopicZeroShot", TopicZeroShot, LanguageVersion.Preview)]
    public void Generated_source_matches_its_baseline_and_compiles_without_warnings(string name, string source, LanguageVersion language)
    {
        var result = GeneratorHarness.Run(source, language);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        MatchesBaseline(name, result.GeneratedText);
    }

    [Fact]
    public void Options_from_a_search_result_match_their_baseline_and_compile_without_warnings()
    {
        var result = GeneratorHarness.Run(Topic + "\n" + TopicSearch, [("topic-search/best.json", TopicSearchResult)]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        string generated = string.Join("\n", result.Run.GeneratedTrees.Where(t => t.FilePath.EndsWith("TopicSearch.TypedBertTraining.g.cs", StringComparison.Ordinal)).Select(t => t.ToString()));
        MatchesBaseline("TopicSearch", generated);
    }

    [Fact]
    public void CSharp14_puts_Predict_on_the_enum_type_and_older_versions_get_a_static_class()
    {
        const string usage = """
            namespace News;
            static class Use
            {
                static Topic Run() => Topic.Predict("The striker scored twice");
                static TopicScores Scores() => Topic.PredictScores("text");
                static Topic Parse() => TopicLabels.Parse("Sci/Tech");
            }
            """;
        var modern = GeneratorHarness.Run(Topic + "\n" + usage.Replace("namespace News;", ""), LanguageVersion.Preview);
        Assert.Empty(modern.CompilationErrors);
        Assert.Contains("extension(global::News.Topic)", modern.GeneratedText);

        var older = GeneratorHarness.Run(Topic, LanguageVersion.CSharp13);
        Assert.DoesNotContain("extension(", older.GeneratedText);
        Assert.Contains("public static global::News.Topic Predict(string text)", older.GeneratedText);
    }

    [Fact]
    public void The_label_map_registers_itself_at_load_from_CSharp_9_on()
    {
        string blockNamespace = Topic.Replace("namespace News;", "namespace News {") + "\n}";
        var csharp9 = GeneratorHarness.Run(blockNamespace, LanguageVersion.CSharp9);
        Assert.Empty(csharp9.CompilationErrors);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", csharp9.GeneratedText);
        Assert.Contains("EnumLabels<global::News.Topic>.Register(", csharp9.GeneratedText);

        var csharp8 = GeneratorHarness.Run(blockNamespace, LanguageVersion.CSharp8);
        Assert.DoesNotContain("ModuleInitializer", csharp8.GeneratedText);
    }

    internal const string SearchPath = "search/best.json";

    internal const string SearchConfig = "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), SearchResult = \"search/best.json\")] public partial class C;";

    /// <summary>A clean best.json for <c>enum E { A, B }</c>, one property a line (labels too), so that an edit changes one line.</summary>
    internal const string SearchResultForE = """
        {
          "format": 1,
          "model": "minilm-l6-uncased",
          "labels": ["A", "B"],
          "trial": 7,
          "metric": "accuracy",
          "value": 0.9125,
          "best_epoch": 2,
          "pooling": "Mean",
          "max_length": 128,
          "learning_rate": 3.2e-05,
          "epochs": 3,
          "batch_size": 16,
          "warmup_ratio": 0.1,
          "weight_decay": 0.05,
          "layer_lr_decay": 0.9,
          "label_smoothing": 0,
          "seed": 42,
          "group_by_length": true
        }
        """;

    /// <summary>
    /// <see cref="SearchResultForE"/> edited: "name=value" sets a property's value, "+name=value" adds one, "-name" removes one; anything
    /// else is the whole file.
    /// </summary>
    internal static string SearchResultFile(string edit)
    {
        var parts = System.Text.RegularExpressions.Regex.Match(edit, "^([+-]?)([A-Za-z_]+)(?:=(.*))?$", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (!parts.Success) return edit;
        string kind = parts.Groups[1].Value, name = parts.Groups[2].Value, value = parts.Groups[3].Value;
        var lines = SearchResultForE.Split('\n').ToList();
        int index = lines.FindIndex(l => l.TrimStart().StartsWith($"\"{name}\":", StringComparison.Ordinal));
        if (index < 0 && kind != "+") return edit;   // not an edit of a property the file has: a whole file such as "null"
        if (kind == "+") lines.Insert(1, $"  \"{name}\": {value},");
        else if (kind == "-") lines.RemoveAt(index);
        else lines[index] = $"  \"{name}\": {value}" + (lines[index].EndsWith(',') ? "," : "");
        return string.Join("\n", lines);
    }

    /// <summary>The property an edit of <see cref="SearchResultFile"/> sets; null for a whole file or a removed property (both reported at the start).</summary>
    static string? EditedProperty(string edit) =>
        System.Text.RegularExpressions.Regex.Match(edit, "^\\+?([a-z_]+)=") is { Success: true } match ? match.Groups[1].Value : null;

    [Theory]
    [InlineData("TB0001", "[BertLabels] public enum E { A, B = 5 }", "value 5")]
    [InlineData("TB0002", "[BertLabels] public enum E { Only }", "has 1 label(s)")]
    [InlineData("TB0003", "[BertLabels] public enum E { Tech, [Label(\"tech\")] Technology }", "both have the label 'tech'")]
    [InlineData("TB0004", "public class Outer { [BertLabels] private enum E { A, B } }", "is private")]
    [InlineData("TB0004", "public class Outer<T> { [BertLabels] public enum E { A, B } }", "generic type 'Outer'")]
    [InlineData("TB0005", "[BertLabels, System.Flags] public enum E { None = 0, A = 1, B = 2, AB = 3 }", "value 3")]
    [InlineData("TB0006", "[BertLabels] public enum E { [Label(Description = \"first\")] A, [Label(Description = \"  \")] B }", "Member 'B' of [BertLabels] enum 'E' has an empty description")]
    [InlineData("TB0006", "[BertLabels] public enum E { A, [Label(Descriptions = new[] { \"second\", \"\" })] B }", "Member 'B' of [BertLabels] enum 'E' has an empty description")]
    [InlineData("TB0007", "[BertLabels] public enum E { [Label(Description = \"Company news\")] A, [Label(\"b/c\", Descriptions = new[] { \"company NEWS \" })] B }", "Members 'A' and 'B' of [BertLabels] enum 'E' have the same description 'company NEWS'")]
    [InlineData("TB0007", "[BertLabels] public enum E { [Label(Description = \"sport\", Descriptions = new[] { \"sport\" })] A, B }", "Members 'A' and 'A' of [BertLabels] enum 'E' have the same description 'sport'")]
    [InlineData("TB0008", "[BertLabels, System.Flags] public enum E { None = 0, [Label(Description = \"urgent\")] A = 1, B = 2 }", "Member 'A' of [BertLabels, Flags] enum 'E' has a description")]
    [InlineData("TB0101", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), MaxLength = 1024)] public partial class C;", "exceeds the 512 positions of base model 'minilm-l6-uncased'")]
    [InlineData("TB0101", "[BertLabels(Model = \"bert-large-uncased\")] public enum E { A, B } [BertTrainingConfig(typeof(E), MaxLength = 513)] public partial class C;", "'bert-large-uncased'")]
    [InlineData("TB0102", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), FreezeLayers = 7)] public partial class C;", "the 6 encoder layers")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), BatchSize = 0)] public partial class C;", "BatchSize = 0")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Epochs = -1)] public partial class C;", "Epochs = -1 is out of range; use 1 or more")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), GradientAccumulationSteps = 0)] public partial class C;", "GradientAccumulationSteps = 0")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), MaxLength = 1)] public partial class C;", "MaxLength = 1 is out of range; use 0 (the model's maximum) or 3 to 512 tokens ([CLS] and [SEP] included)")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), MaxLength = 2)] public partial class C;", "MaxLength = 2 is out of range; use 0 (the model's maximum) or 3 to 512 tokens")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), MaxLength = -1)] public partial class C;", "MaxLength = -1 is out of range; use 0 (the model's maximum) or 3 to 512 tokens")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Model = \"models/my-encoder\", MaxLength = 2)] public partial class C;", "MaxLength = 2 is out of range; use 0 (the model's maximum) or at least 3 tokens ([CLS] and [SEP] included)")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, MaxLength = 2)] public partial class C;", "MaxLength = 2 is out of range")]
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, MaxLength = 2)] public partial class C;", "MaxLength = 2 is out of range")]   // and no stride or window diagnostics from a 2-token window
    [InlineData("TB0103", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), FreezeLayers = -1)] public partial class C;", "FreezeLayers = -1 is out of range; use 0 or more")]
    [InlineData("TB0104", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LearningRate = 1)] public partial class C;", "LearningRate = 1 is outside (0, 1)")]
    [InlineData("TB0104", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LearningRate = 0)] public partial class C;", "LearningRate = 0 is outside (0, 1)")]
    [InlineData("TB0105", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LearningRate = 2e-3)] public partial class C;", "0.002")]
    [InlineData("TB0106", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Epochs = 10)] public partial class C;", "2-4 epochs")]
    [InlineData("TB0107", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), MultiLabel = true)] public partial class C;", "'E' is not a [Flags] enum")]
    [InlineData("TB0108", "public enum E { A, B } [BertTrainingConfig(typeof(E))] public partial class C;", "'E' is not an enum marked [BertLabels]")]
    [InlineData("TB0109", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E))] public class C;", "'C' must be declared 'partial'")]
    [InlineData("TB0110", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, PairIterations = 0)] public partial class C;", "PairIterations = 0 is outside 1..1000")]
    [InlineData("TB0110", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, HeadSteps = 200000)] public partial class C;", "HeadSteps = 200000 is outside 1..100000")]
    [InlineData("TB0110", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, BodyLearningRate = 1.5)] public partial class C;", "BodyLearningRate = 1.5 is outside (0, 1)")]
    [InlineData("TB0111", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), PairIterations = 40)] public partial class C;", "set Method = TrainingMethod.SetFit, or remove PairIterations")]
    [InlineData("TB0112", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Window = 1024)] public partial class C;", "Window = 1024 exceeds the 512 positions of base model 'minilm-l6-uncased'; use a window of 3 to 512 tokens")]
    [InlineData("TB0112", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Model = \"allenai/longformer-base-4096\", Window = 5000)] public partial class C;", "exceeds the 4096 positions of base model 'allenai/longformer-base-4096'")]
    [InlineData("TB0113", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, Window = 128, Stride = 127)] public partial class C;", "Stride = 127 is outside 1..126, the content tokens of a 128-token window")]
    [InlineData("TB0113", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, Stride = 0)] public partial class C;", "Stride = 0 is outside 1..510, the content tokens of a 512-token window")]
    [InlineData("TB0113", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, MaxLength = 64, Stride = 63)] public partial class C;", "Stride = 63 is outside 1..62, the content tokens of a 64-token window")]
    [InlineData("TB0113", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Model = \"models/my-encoder\", LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, Stride = -1)] public partial class C;", "Stride = -1 is outside 1..Window - 2, the content tokens of the window")]
    [InlineData("TB0114", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.HeadTail, Window = 64, HeadTokens = 63)] public partial class C;", "HeadTokens = 63 is outside 0..62, the content tokens of a 64-token window")]
    [InlineData("TB0114", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.HeadTail, HeadTokens = -1)] public partial class C;", "HeadTokens = -1 is outside 0..510")]
    [InlineData("TB0115", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Window = 2)] public partial class C;", "Window = 2 is outside 3..512; set a value in that range, or leave Window out for MaxLength tokens at a time")]
    [InlineData("TB0115", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, MaxWindowsPerDocument = 0)] public partial class C;", "MaxWindowsPerDocument = 0 is outside 1 and up; set a value in that range, or leave MaxWindowsPerDocument out for every window")]
    [InlineData("TB0115", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = (TypedBert.Classification.LongTextStrategy)7)] public partial class C;", "LongText = 7 is outside the members of LongTextStrategy (Truncate, SlidingWindow, HeadTail)")]
    [InlineData("TB0116", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Stride = 64)] public partial class C;", "Stride is ignored with LongText = LongTextStrategy.Truncate (only the sliding window reads it); set LongText = LongTextStrategy.SlidingWindow, or remove Stride")]
    [InlineData("TB0116", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, HeadTokens = 64)] public partial class C;", "HeadTokens is ignored with LongText = LongTextStrategy.SlidingWindow (only head+tail reads it); set LongText = LongTextStrategy.HeadTail, or remove HeadTokens")]
    [InlineData("TB0116", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), LongText = TypedBert.Classification.LongTextStrategy.HeadTail, Aggregation = TypedBert.Classification.WindowAggregation.Max)] public partial class C;", "Aggregation is ignored with LongText = LongTextStrategy.HeadTail")]
    [InlineData("TB0116", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, Window = 256)] public partial class C;", "Window is ignored by few-shot training, which reads the first MaxLength tokens of each text; remove Window, or fine-tune")]
    [InlineData("TB0401", SearchConfig, "Search result 'search/best.json' of 'C' is not an AdditionalFiles item of this project; the build passes it to the generator when the file exists at that path (relative to the project folder): run typedbert tune --output search first, correct the path, or add <AdditionalFiles Include=\"search/best.json\" /> to the project")]
    [InlineData("TB0402", SearchConfig, "Search result 'search/best.json' cannot be read: it has no \"epochs\"", "-epochs")]
    [InlineData("TB0402", SearchConfig, "\"epochs\" is the number 2.5, not a whole number", "epochs=2.5")]
    [InlineData("TB0402", SearchConfig, "\"learning_rate\" is the text \"3e-5\", not a number", "learning_rate=\"3e-5\"")]
    [InlineData("TB0402", SearchConfig, "configuration format 2; this TypedBert reads format 1", "format=2")]
    [InlineData("TB0402", SearchConfig, "\"pooling\" is the text \"Max\", not a pooling strategy (Pooler, Cls, Mean)", "pooling=\"Max\"")]
    [InlineData("TB0402", SearchConfig, "\"model\" is null, not a text", "model=null")]
    [InlineData("TB0402", SearchConfig, "it is not a JSON object", "[1, 2]")]
    [InlineData("TB0402", SearchConfig, "it is not valid JSON (a property name (in double quotes) is expected at character 14, line 1)", "{\"format\": 1,}")]
    [InlineData("TB0403", SearchConfig, "max_length = 1024 in search result 'search/best.json' (trial 7) is outside 3 to 512 tokens, the positions of base model 'minilm-l6-uncased'; search again with a space inside that range, or write MaxLength on [BertTrainingConfig], which wins over the file", "max_length=1024")]
    [InlineData("TB0403", SearchConfig, "max_length = 2 in search result 'search/best.json' (trial 7) is outside 3 to 512 tokens", "max_length=2")]
    [InlineData("TB0403", SearchConfig, "epochs = 0 in search result 'search/best.json' (trial 7) is outside 1 or more", "epochs=0")]
    [InlineData("TB0403", SearchConfig, "batch_size = -4 in search result 'search/best.json' (trial 7) is outside 1 or more", "batch_size=-4")]
    [InlineData("TB0403", SearchConfig, "learning_rate = 1.5 in search result 'search/best.json' (trial 7) is outside (0, 1)", "learning_rate=1.5")]
    [InlineData("TB0403", SearchConfig, "warmup_ratio = 1 in search result 'search/best.json' (trial 7) is outside [0, 1)", "warmup_ratio=1")]
    [InlineData("TB0403", SearchConfig, "weight_decay = -0.1 in search result 'search/best.json' (trial 7) is outside 0 or more", "weight_decay=-0.1")]
    [InlineData("TB0403", SearchConfig, "layer_lr_decay = 0 in search result 'search/best.json' (trial 7) is outside (0, 1]", "layer_lr_decay=0")]
    [InlineData("TB0403", SearchConfig, "label_smoothing = 1 in search result 'search/best.json' (trial 7) is outside [0, 1)", "label_smoothing=1")]
    [InlineData("TB0403", "[BertLabels, System.Flags] public enum E { None = 0, A = 1, B = 2 } [BertTrainingConfig(typeof(E), SearchResult = \"search/best.json\")] public partial class C;", "label_smoothing = 0.1 in search result 'search/best.json' (trial 7) is outside 0, the only value for [Flags] enum 'E' (label smoothing applies to single-label training", "label_smoothing=0.1")]
    [InlineData("TB0403", SearchConfig, "ema_decay = 1 in search result 'search/best.json' (trial 7) is outside (0, 1)", "+ema_decay=1")]
    [InlineData("TB0403", SearchConfig, "average_last_epochs = 4 in search result 'search/best.json' (trial 7) is outside 2 to the 3 epochs; search again with a space inside that range, or write Epochs on [BertTrainingConfig]", "+average_last_epochs=4")]
    [InlineData("TB0403", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), SearchResult = \"search/best.json\", LongText = TypedBert.Classification.LongTextStrategy.SlidingWindow, Stride = 200)] public partial class C;", "max_length = 128 in search result 'search/best.json' (trial 7) is outside 202 to 512 tokens, the window that Stride = 200 needs", "max_length=128")]
    [InlineData("TB0404", SearchConfig, "Search result 'search/best.json' was found with base model 'bert-base-uncased', but 'C' trains 'minilm-l6-uncased', for which its values were not searched; set Model = \"bert-base-uncased\" on [BertTrainingConfig] (or [BertLabels]), or search again with --model minilm-l6-uncased", "model=\"bert-base-uncased\"")]
    [InlineData("TB0405", SearchConfig, "Search result 'search/best.json' was found with other labels than [BertLabels] enum 'E': \"C\" is a label of the search but not of E; \"B\" is a label of E but not of the search; search again", "labels=[\"a\", \"C\"]")]
    [InlineData("TB0406", "[BertLabels] public enum E { A, B } [BertTrainingConfig(typeof(E), Method = TrainingMethod.SetFit, SearchResult = \"search/best.json\")] public partial class C;", "SearchResult does not apply to few-shot training")]
    public void Each_mistake_has_its_diagnostic(string id, string declaration, string message, string? searchResult = null)
    {
        // With a search result: the base file edited as searchResult says, and the diagnostic at the line of the property it edits.
        var files = searchResult is null ? [] : new[] { (SearchPath, SearchResultFile(searchResult)) };
        var result = GeneratorHarness.Run("using TypedBert;\n" + declaration, files);
        var diagnostic = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(Diagnostics.ById[id].DefaultSeverity, diagnostic.Severity);
        Assert.Contains(message, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        var where = diagnostic.Location.GetLineSpan();
        if (searchResult is null)
            Assert.True(where.Path == "User.cs" && where.StartLinePosition.Line == 1, $"the diagnostic points at the declaration in the user's code, not {where}");
        else
        {
            Assert.Equal(GeneratorHarness.ProjectDirectory + SearchPath, where.Path);
            string line = SearchResultFile(searchResult).Split('\n')[where.StartLinePosition.Line];
            string? property = EditedProperty(searchResult);
            Assert.True(property is null ? where.StartLinePosition.Line == 0 : line.Contains($"\"{property}\"", StringComparison.Ordinal),
                $"the diagnostic points at the line of {property ?? "the file's start"}, not at {where}: {line}");
        }
        // Errors stop generation for that declaration; warnings leave the generated code in place and compiling.
        if (diagnostic.Severity == DiagnosticSeverity.Warning) Assert.Empty(result.CompilationErrors.Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    /// <summary>The edges of each long-text range are values the trainer accepts (LongTextSettings.Resolve), so they build cleanly.</summary>
    [Theory]
    [InlineData("Window = 512")]
    [InlineData("Window = 3")]
    [InlineData("LongText = LongTextStrategy.SlidingWindow, Window = 128, Stride = 126, MaxWindowsPerDocument = 1")]
    [InlineData("LongText = LongTextStrategy.SlidingWindow, MaxLength = 64, Stride = 62, Aggregation = WindowAggregation.Max")]
    [InlineData("LongText = LongTextStrategy.SlidingWindow, Window = 3, Stride = 1")]
    [InlineData("LongText = LongTextStrategy.HeadTail, Window = 64, HeadTokens = 62")]
    [InlineData("LongText = LongTextStrategy.HeadTail, HeadTokens = 0")]
    [InlineData("Model = \"allenai/longformer-base-4096\", LongText = LongTextStrategy.SlidingWindow, Window = 4096, Stride = 4094")]
    [InlineData("Model = \"models/my-encoder\", LongText = LongTextStrategy.SlidingWindow, Window = 8192, Stride = 8190")]   // positions known at run time only
    public void Long_text_settings_at_the_edges_of_their_ranges_build_without_diagnostics(string arguments)
    {
        var result = GeneratorHarness.Run($"using TypedBert;\nusing TypedBert.Classification;\n[BertLabels] public enum E {{ A, B }} [BertTrainingConfig(typeof(E), {arguments})] public partial class C;");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Contains("LongText = new global::TypedBert.Classification.LongTextOptions", result.GeneratedText);
    }

    /// <summary>MaxLength's edges are values the trainer accepts (TrainingOptions and FewShotOptions validation), so they build cleanly.</summary>
    [Theory]
    [InlineData("MaxLength = 3", "MaxLength = 3,")]
    [InlineData("MaxLength = 0", "MaxLength = null,")]
    [InlineData("MaxLength = 512", "MaxLength = 512,")]
    [InlineData("Model = \"models/my-encoder\", MaxLength = 3", "MaxLength = 3,")]
    [InlineData("Method = TrainingMethod.SetFit, MaxLength = 3", "MaxLength = 3,")]
    public void MaxLength_at_the_edges_of_its_range_builds_without_diagnostics(string arguments, string generated)
    {
        var result = GeneratorHarness.Run($"using TypedBert;\n[BertLabels] public enum E {{ A, B }} [BertTrainingConfig(typeof(E), {arguments})] public partial class C;");
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Empty(result.CompilationErrors);
        Assert.Contains(generated, result.GeneratedText);
    }

    [Fact]
    public void Every_diagnostic_has_a_docs_page_a_fix_in_its_message_and_a_release_entry()
    {
        string root = FindRepositoryRoot();
        string releases = File.ReadAllText(Path.Combine(root, "generators", "TypedBert.Generators", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(root, "generators", "TypedBert.Generators", "AnalyzerReleases.Shipped.md"));
        string index = File.ReadAllText(Path.Combine(root, "docs", "diagnostics", "README.md"));
        Assert.Equal(37, Diagnostics.ById.Count);
        foreach (var (id, descriptor) in Diagnostics.ById)
        {
            Assert.Contains($"{id} | TypedBert | {descriptor.DefaultSeverity} | {descriptor.Title}", releases);
            Assert.True(File.Exists(Path.Combine(root, "docs", "diagnostics", id + ".md")), $"docs/diagnostics/{id}.md is missing");
            Assert.Contains($"[{id}]({id}.md)", index);
            Assert.EndsWith($"docs/diagnostics/{id}.md", descriptor.HelpLinkUri);
        }
    }

    [Fact]
    public void A_second_run_on_the_same_input_is_served_from_the_cache_and_no_Roslyn_objects_are_kept()
    {
        var compilation = GeneratorHarness.Compile(Topic + "\n" + TopicTraining + "\n" + Tags.Replace("using System;\nusing TypedBert;\n", "").Replace("namespace Support;", "").Replace("Flags]", "System.Flags]"));
        // Topic names ModelPath = "models/topic": its config.json is checked, and another AdditionalFiles item is read as nothing.
        var files = new[]
        {
            GeneratorHarness.File("models/topic/config.json", "{\"id2label\": {\"0\": \"World\", \"1\": \"Sports\", \"2\": \"Business\", \"3\": \"Sci/Tech\"}}"),
            GeneratorHarness.File("notes.txt", "not data"),
        };
        var driver = GeneratorHarness.Driver(additionalFiles: files).RunGenerators(compilation);
        Assert.True(driver.GetRunResult().Diagnostics.IsEmpty, string.Join("\n", driver.GetRunResult().Diagnostics));
        var first = driver.GetRunResult().Results.Single();
        string[] steps = [.. typeof(BertLabelsGenerator.Steps).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];
        // Steps that carry diagnostics keep their real source locations (and so a syntax tree: that is what lets #pragma and
        // .editorconfig silence them); every other step, the emitter's input above all, holds plain data only.
        foreach (var name in steps.Except(BertLabelsGenerator.Steps.WithLocations))
            foreach (var (value, _) in first.TrackedSteps[name].SelectMany(s => s.Outputs))
                Assert.Null(GeneratorHarness.FindRoslynObject(value, name));

        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult().Results.Single();
        foreach (var name in steps)
        {
            Assert.True(second.TrackedSteps.ContainsKey(name), $"step {name} is not tracked");
            foreach (var (_, reason) in second.TrackedSteps[name].SelectMany(s => s.Outputs))
                Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
        }
        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
    }
}
