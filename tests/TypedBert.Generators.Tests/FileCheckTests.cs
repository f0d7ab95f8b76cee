using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using TypedBert.Generators.Parsing;
using Xunit.Abstractions;

namespace TypedBert.Generators.Tests;

/// <summary>The training file and the model folder named on [BertLabels], checked at build time through AdditionalFiles (TB02xx, TB03xx).</summary>
public sealed class FileCheckTests(ITestOutputHelper output)
{
    static string TopicWith(string arguments) => $$"""
        using TypedBert;
        namespace News;

        [BertLabels({{arguments}})]
        public enum Topic { World, Sports, Business, [Label("Sci/Tech")] Science }
        """;

    static readonly string Topic = TopicWith("TrainingData = \"data/train.tsv\"");

    static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    /// <summary>The generator's diagnostics with the given ID.</summary>
    static List<Diagnostic> Only(GeneratorHarness.Result result, string id) => [.. result.GeneratorDiagnostics.Where(d => d.Id == id)];

    static (string File, int Line) Where(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return (span.Path, span.StartLinePosition.Line + 1);
    }

    const string DataPath = GeneratorHarness.ProjectDirectory + "data/train.tsv";

    // Every label has two examples; lines are 1-based and the header is line 1.
    const string CleanTsv = "text\tlabel\nPeace talks resume\tWorld\nLate goal wins the cup\tSports\nShares fall\tBusiness\nNew chip is faster\tSci/Tech\n"
        + "Elections held\tworld\nRecord transfer\t1\nMerger approved\tbusiness\nProbe lands on comet\tscience\n";

    [Fact]
    public void Clean_data_gives_no_diagnostic_and_the_enum_is_generated()
    {
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", CleanTsv)]);
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("class TopicLabels", result.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_label_is_an_error_at_its_line_that_names_the_closest_members()
    {
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", CleanTsv + "Quantum computer unveiled\tSci-Tech\nA new phone\tSci-Tech\nStocks up\tBusines\n")]);
        var errors = Only(result, "TB0201");
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(DiagnosticSeverity.Error, e.Severity));
        Assert.Equal((DataPath, 10), Where(errors[0]));
        Assert.Contains("Label 'Sci-Tech' in the training data (2 row(s), the first one here) is not a label of [BertLabels] enum 'Topic'; closest: 'Sci/Tech' (Science).", Message(errors[0]));
        Assert.Equal((DataPath, 12), Where(errors[1]));
        Assert.Contains("closest: 'Business'", Message(errors[1]));
    }

    [Fact]
    public void Equally_close_members_are_all_named()
    {
        Assert.Equal("'Sports', 'Spurts'", FileChecker.Closest(new Model.LabelMemberSpec[] { new("Sports", "Sports", 0), new("World", "World", 1), new("Spurts", "Spurts", 2) }, "Sparts"));
    }

    [Fact]
    public void A_member_without_examples_is_a_warning_on_the_header_line()
    {
        string data = string.Join("\n", CleanTsv.Split('\n').Where(l => !l.EndsWith("Sci/Tech", StringComparison.Ordinal) && !l.EndsWith("science", StringComparison.Ordinal)));
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", data)]);
        var warning = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0202", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal((DataPath, 1), Where(warning));
        Assert.Contains("Label 'Sci/Tech' of [BertLabels] enum 'Topic' has no example among the 6 rows", Message(warning));
        // Warnings leave the generated code in place.
        Assert.Contains("TopicClassifier", result.GeneratedText, StringComparison.Ordinal);
    }

    static string Rows(params (string Label, int Count)[] labels)
    {
        var text = new StringBuilder("text\tlabel\n");
        foreach (var (label, count) in labels)
            for (int i = 0; i < count; i++) text.Append(CultureInfo.InvariantCulture, $"example {i}\t{label}\n");
        return text.ToString();
    }

    [Fact]
    public void More_than_ten_times_the_rarest_label_points_to_class_weights_and_ten_times_does_not()
    {
        var imbalanced = GeneratorHarness.Run(Topic, [("data/train.tsv", Rows(("World", 2), ("Sports", 21), ("Business", 5), ("Sci/Tech", 3)))]);
        var info = Assert.Single(imbalanced.GeneratorDiagnostics);
        Assert.Equal("TB0203", info.Id);
        Assert.Equal(DiagnosticSeverity.Info, info.Severity);
        Assert.Equal((DataPath, 4), Where(info));   // the first Sports row
        Assert.Contains("Label 'Sports' has 21 examples, 10 times the 2 of the rarest label 'World'", Message(info));
        Assert.Contains("ClassWeights", Message(info));

        var atTheLimit = GeneratorHarness.Run(Topic, [("data/train.tsv", Rows(("World", 2), ("Sports", 20), ("Business", 5), ("Sci/Tech", 3)))]);
        Assert.Empty(atTheLimit.GeneratorDiagnostics);
    }

    [Fact]
    public void A_missing_column_is_an_error_on_the_header_that_lists_the_columns()
    {
        var result = GeneratorHarness.Run(TopicWith("TrainingData = \"data/train.tsv\", LabelColumn = \"topic\""), [("data/train.tsv", CleanTsv)]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0205", error.Id);
        Assert.Equal((DataPath, 1), Where(error));
        Assert.Contains("Training data 'data/train.tsv' has no column 'topic' (its columns: text, label); name the column that holds the labels with [BertLabels(LabelColumn = \"...\")]", Message(error));

        var text = GeneratorHarness.Run(TopicWith("TrainingData = \"data/train.tsv\", TextColumn = \"sentence\""), [("data/train.tsv", CleanTsv)]);
        Assert.Contains("holds the texts with [BertLabels(TextColumn", Message(Assert.Single(text.GeneratorDiagnostics)));
    }

    [Fact]
    public void Named_columns_are_read_instead_of_the_defaults()
    {
        var result = GeneratorHarness.Run(TopicWith("TrainingData = \"data/train.tsv\", TextColumn = \"sentence\", LabelColumn = \"topic\""),
            [("data/train.tsv", CleanTsv.Replace("text\tlabel", "sentence\ttopic"))]);
        Assert.Empty(result.GeneratorDiagnostics);
        // ReadExamples reads the same columns by default, so the file the build checked is the file the program reads.
        Assert.Contains("columns ?? new global::TypedBert.Data.DataColumns(Text: \"sentence\", Label: \"topic\")", result.GeneratedText, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_an_AdditionalFiles_item_is_an_error_at_the_attribute_argument()
    {
        var result = GeneratorHarness.Run(Topic, [("data/other.tsv", CleanTsv)]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0204", error.Id);
        Assert.Equal(("User.cs", 4), Where(error));
        Assert.Contains("it is not an AdditionalFiles item of this project", Message(error));
        Assert.Contains("<AdditionalFiles Include=\"data/train.tsv\" />", Message(error));
    }

    [Fact]
    public void Relative_paths_resolve_against_the_project_folder_and_without_it_by_their_end()
    {
        // Same name in another folder: not the file the attribute names.
        Assert.Equal("TB0204", Assert.Single(GeneratorHarness.Run(Topic, [("other/data/train.tsv", CleanTsv)]).GeneratorDiagnostics).Id);
        Assert.True(FileScanner.Matches("/src/UserProject/data/../data/./train.tsv", "data/train.tsv", "/src/UserProject/"));
        Assert.True(FileScanner.Matches("C:\\Users\\me\\App\\Data\\Train.tsv", "data/train.tsv", "C:\\Users\\me\\App\\"));
        Assert.False(FileScanner.Matches("/src/UserProject/data/train.tsv", "train.tsv", "/src/UserProject/"));
        Assert.True(FileScanner.Matches("/anywhere/data/train.tsv", "data/train.tsv", null));
        Assert.False(FileScanner.Matches("/anywhere/mydata/train.tsv", "data/train.tsv", null));
        Assert.Empty(GeneratorHarness.Run(Topic, [("data/train.tsv", CleanTsv)], projectDirectory: null).GeneratorDiagnostics);
    }

    [Theory]
    [InlineData("text\tlabel\nfine\tWorld\nbroken\tWorld\textra\n", 3, "line 3 has 3 fields, but the header has 2")]
    [InlineData("text\tlabel\n\"never closed\tWorld\n", 2, "a quoted field is not closed before the end of the file")]
    [InlineData("", 1, "the file is empty (no header line)")]
    [InlineData("text\tlabel\n", 1, "the file holds no data rows")]
    public void A_file_that_cannot_be_read_is_an_error_with_the_reason_at_its_line(string data, int line, string reason)
    {
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", data)]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0204", error.Id);
        Assert.Equal((DataPath, line), Where(error));
        Assert.Contains(reason, Message(error));
    }

    [Fact]
    public void CSV_fields_are_read_as_Pythons_csv_module_reads_them()
    {
        // A quoted text with the delimiter, doubled quotes and a line break; the label on the record's first line; a quoted label.
        string csv = "text,label\n\"Talks, \"\"at last\"\",\nresume\",World\nGoal,Sports\nShares,\"Business\"\nChip,Sci/Tech\nOops,Sci-Tech\n";
        var result = GeneratorHarness.Run(TopicWith("TrainingData = \"train.csv\""), [("train.csv", csv)]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0201", error.Id);
        // Line 7: the quoted text spans lines 2-3, so the file has one line more than records.
        Assert.Equal((GeneratorHarness.ProjectDirectory + "train.csv", 7), Where(error));
    }

    [Fact]
    public void Windows_line_ends_give_the_same_lines()
    {
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", (CleanTsv + "x\tSci-Tech\n").Replace("\n", "\r\n"))]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(("TB0201", (DataPath, 10)), (error.Id, Where(error)));
        Assert.Equal(new Microsoft.CodeAnalysis.Text.LinePosition(9, 10), error.Location.GetLineSpan().EndLinePosition);   // "x\tSci-Tech" without the \r
    }

    [Fact]
    public void JSON_Lines_labels_may_be_names_or_ids_and_a_bad_line_is_reported()
    {
        string jsonl = "{\"text\": \"Peace\", \"label\": \"World\"}\n\n{\"text\": \"Goal \\\"late\\\"\", \"label\": 1}\n{\"label\": \"Business\", \"text\": \"x\"}\n{\"text\": \"chip\", \"label\": \"Sci/Tech\"}\n";
        Assert.Empty(GeneratorHarness.Run(TopicWith("TrainingData = \"train.jsonl\""), [("train.jsonl", jsonl)]).GeneratorDiagnostics);

        var unknown = GeneratorHarness.Run(TopicWith("TrainingData = \"train.jsonl\""), [("train.jsonl", jsonl + "{\"text\": \"t\", \"label\": 7}\n")]);
        var error = Assert.Single(unknown.GeneratorDiagnostics);
        Assert.Equal(("TB0201", (GeneratorHarness.ProjectDirectory + "train.jsonl", 6)), (error.Id, Where(error)));

        var broken = GeneratorHarness.Run(TopicWith("TrainingData = \"train.jsonl\""), [("train.jsonl", jsonl + "{\"text\": \"t\", \"label\": }\n")]);
        error = Assert.Single(broken.GeneratorDiagnostics);
        Assert.Equal(("TB0204", (GeneratorHarness.ProjectDirectory + "train.jsonl", 6)), (error.Id, Where(error)));
        Assert.Contains("line 6 is not valid JSON", Message(error));

        var noLabel = GeneratorHarness.Run(TopicWith("TrainingData = \"train.jsonl\""), [("train.jsonl", "{\"text\": \"t\", \"topic\": \"World\"}\n")]);
        Assert.Equal("TB0205", Assert.Single(noLabel.GeneratorDiagnostics).Id);
    }

    [Fact]
    public void Flags_cells_hold_several_labels_and_an_empty_cell_is_no_label()
    {
        const string tags = """
            using TypedBert;
            [BertLabels(TrainingData = "tickets.tsv"), System.Flags]
            public enum Tags { None = 0, Urgent = 1, Billing = 2, Outage = 4 }
            """;
        string data = "text\tlabel\nsite down\tUrgent|Outage\ninvoice wrong\tBilling\nthanks\t\nrefund now\turgent | billing\n";
        Assert.Empty(GeneratorHarness.Run(tags, [("tickets.tsv", data)]).GeneratorDiagnostics);
        var result = GeneratorHarness.Run(tags, [("tickets.tsv", data + "broken\tOutage|Outgae\n")]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0201", error.Id);
        Assert.Contains("Label 'Outgae'", Message(error));
        Assert.Contains("closest: 'Outage'", Message(error));
    }

    [Fact]
    public void Only_the_first_ten_unknown_labels_are_reported()
    {
        var rows = Enumerable.Range(0, 30).Select(i => $"text {i}\tnot a label {i}");
        var result = GeneratorHarness.Run(Topic, [("data/train.tsv", CleanTsv + string.Join("\n", rows) + "\n")]);
        Assert.Equal(FileChecker.MaxUnknownLabels, Only(result, "TB0201").Count);
    }

    // A model folder as TypedBert's Save writes it (only the part the check reads matters).
    static string Config(params string[] labels) =>
        "{\n  \"model_type\": \"bert\",\n  \"id2label\": {\n" + string.Join(",\n", labels.Select((l, i) => $"    \"{i}\": \"{l}\"")) + "\n  },\n  \"hidden_size\": 384\n}\n";

    [Fact]
    public void A_model_folder_with_the_enums_labels_passes_and_a_different_one_lists_every_difference()
    {
        string source = TopicWith("ModelPath = \"models/topic\"");
        Assert.Empty(GeneratorHarness.Run(source, [("models/topic/config.json", Config("World", "Sports", "Business", "Sci/Tech"))]).GeneratorDiagnostics);

        var result = GeneratorHarness.Run(source, [("models/topic/config.json", Config("Sports", "World", "Business", "SciTech", "Health"))]);
        var error = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal("TB0301", error.Id);
        Assert.Equal(DiagnosticSeverity.Error, error.Severity);
        Assert.Equal((GeneratorHarness.ProjectDirectory + "models/topic/config.json", 3), Where(error));   // the id2label line
        string message = Message(error);
        Assert.Contains("The model in 'models/topic' does not match [BertLabels] enum 'Topic'", message);
        foreach (var difference in new[]
        {
            "\"Sci/Tech\" is a label of Topic but not of the model",
            "\"SciTech\" is a label of the model but not of Topic",
            "\"Health\" is a label of the model but not of Topic",
            "id 0 is \"Sports\" in the model but \"World\" in Topic",
            "id 1 is \"World\" in the model but \"Sports\" in Topic",
        })
            Assert.Contains(difference, message);
    }

    [Fact]
    public void A_model_folder_without_config_is_not_checked_and_an_unreadable_config_is_a_warning()
    {
        string source = TopicWith("ModelPath = \"models/topic/\"");
        Assert.Empty(GeneratorHarness.Run(source, []).GeneratorDiagnostics);
        var result = GeneratorHarness.Run(source, [("models/topic/config.json", "{\"model_type\": \"bert\"}")]);
        var warning = Assert.Single(result.GeneratorDiagnostics);
        Assert.Equal(("TB0302", DiagnosticSeverity.Warning), (warning.Id, warning.Severity));
        Assert.Contains("it has no \"id2label\" object", Message(warning));
        Assert.Contains("not valid JSON", Message(Assert.Single(GeneratorHarness.Run(source, [("models/topic/config.json", "{\"id2label\": {\"0\": \"World\",}")]).GeneratorDiagnostics)));
    }

    [Fact]
    public void Reading_the_same_file_again_is_served_from_the_cache_when_unrelated_code_changes()
    {
        var files = new[] { GeneratorHarness.File("data/train.tsv", CleanTsv + "x\tSci-Tech\n"), GeneratorHarness.File("models/topic/config.json", Config("World", "Sports", "Business", "Sci/Tech")), GeneratorHarness.File("unrelated.txt", "hello") };
        var compilation = GeneratorHarness.Compile(TopicWith("TrainingData = \"data/train.tsv\", ModelPath = \"models/topic\""));
        var driver = GeneratorHarness.Driver(additionalFiles: files).RunGenerators(compilation);
        var first = driver.GetRunResult();
        Assert.Equal("TB0201", Assert.Single(first.Diagnostics).Id);
        var scans = first.Results.Single().TrackedSteps[BertLabelsGenerator.Steps.FileScans].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, scans.Count(s => s.Value is not null));   // the training file and config.json; unrelated.txt is not read
        Assert.All(scans, s => Assert.Null(GeneratorHarness.FindRoslynObject(s.Value, "FileScans")));

        // Unrelated code changes: a new file, and lines inserted above the enum.
        var edited = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class Unrelated { }", compilation.SyntaxTrees.First().Options as Microsoft.CodeAnalysis.CSharp.CSharpParseOptions, path: "Other.cs"));
        var tree = edited.SyntaxTrees.First();
        edited = edited.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new(0, 0), "// a comment\n\n"))));
        driver = driver.RunGenerators(edited);
        var second = driver.GetRunResult();
        var steps = second.Results.Single().TrackedSteps;
        foreach (var name in new[] { BertLabelsGenerator.Steps.FileScans, BertLabelsGenerator.Steps.FileRequests, BertLabelsGenerator.Steps.LabelEnumSpecs })
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {o.Reason}"));
        // The enum moved two lines down, so it was parsed again (its checks hold locations), but the scans above were not redone.
        Assert.Contains(steps[BertLabelsGenerator.Steps.LabelEnums].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Equal("TB0201", Assert.Single(second.Diagnostics).Id);

        // A changed file is read again.
        driver = driver.ReplaceAdditionalText(files[0], GeneratorHarness.File("data/train.tsv", CleanTsv));
        var third = driver.RunGenerators(edited).GetRunResult();
        Assert.Contains(third.Results.Single().TrackedSteps[BertLabelsGenerator.Steps.FileScans].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Empty(third.Diagnostics);
    }

    [Fact]
    public void A_100000_row_file_is_read_in_one_pass()
    {
        var text = new StringBuilder("text\tlabel\n");
        string[] labels = ["World", "Sports", "Business", "Sci/Tech"];
        // Texts of about 100 characters with a quoted one now and then, as a real corpus has; label counts 40/30/20/10 %.
        for (int i = 0; i < 100_000; i++)
        {
            int bucket = i % 10;
            string label = labels[bucket < 4 ? 0 : bucket < 7 ? 1 : bucket < 9 ? 2 : 3];
            string sentence = $"Row {i}: a news sentence of ordinary length, with words enough to look like the data people train on";
            text.Append(i % 50 == 0 ? $"\"{sentence}, \"\"quoted\"\"\"" : sentence).Append('\t').Append(label).Append('\n');
        }
        string data = text.ToString();
        var request = new Model.DataRequest("data/train.tsv", "text", "label");
        var source = Microsoft.CodeAnalysis.Text.SourceText.From(data);
        FileScanner.ScanData(request, DataPath, source, default);   // warm up (JIT)
        var clock = Stopwatch.StartNew();
        var scan = FileScanner.ScanData(request, DataPath, source, default);
        clock.Stop();
        output.WriteLine($"100,000 rows, {data.Length / 1e6:F1} MB: {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Null(scan.Error);
        Assert.Equal(100_000, scan.Rows);
        Assert.Equal([("World", 40_000), ("Sports", 30_000), ("Business", 20_000), ("Sci/Tech", 10_000)], scan.Cells.Select(c => (c.Value, c.Count)));
        Assert.Equal(1, scan.Cells[0].First.Line);   // 0-based: the first data line
    }
}
