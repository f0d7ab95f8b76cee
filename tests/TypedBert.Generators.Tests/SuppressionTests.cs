using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace TypedBert.Generators.Tests;

/// <summary>
/// A user silences or re-grades the generator's diagnostics the usual ways: <c>#pragma warning disable</c> and .editorconfig /
/// .globalconfig severities. Both need diagnostics reported at real source locations (a location rebuilt from a file path is
/// external to Roslyn, which then applies neither).
/// </summary>
public sealed class SuppressionTests
{
    const string Path = GeneratorHarness.ProjectDirectory + "Training.cs";

    // A small model trained at 2e-3 on purpose: TB0105 is a warning the user means to silence.
    const string Config = """
        using TypedBert;
        [BertLabels] public enum E { A, B }

        #pragma warning disable TB0105 // small model, high rate on purpose
        [BertTrainingConfig(typeof(E), LearningRate = 2e-3)]
        #pragma warning restore TB0105
        public partial class Small;

        [BertTrainingConfig(typeof(E), LearningRate = 3e-3)]
        public partial class Other;
        """;

    /// <summary>The diagnostics a build shows: a #pragma marks a diagnostic suppressed (csc keeps it only for SARIF logs), a severity of none drops it.</summary>
    static List<Diagnostic> Run(CSharpCompilation compilation, params AdditionalText[] files) => [.. RunAll(compilation, files).Where(d => !d.IsSuppressed)];

    static ImmutableArray<Diagnostic> RunAll(CSharpCompilation compilation, params AdditionalText[] files)
    {
        GeneratorHarness.Driver(additionalFiles: files).RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        return diagnostics;
    }

    /// <summary>The compiler's view of .editorconfig and .globalconfig files, as csc builds it from the files MSBuild passes.</summary>
    sealed class EditorConfig(AnalyzerConfigSet set) : SyntaxTreeOptionsProvider
    {
        public static CSharpCompilation Apply(CSharpCompilation compilation, params (string Path, string Text)[] files) =>
            compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(
                new EditorConfig(AnalyzerConfigSet.Create(files.Select(f => AnalyzerConfig.Parse(SourceText.From(f.Text), f.Path)).ToImmutableArray()))));

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    [Fact]
    public void Pragma_warning_disable_around_the_attribute_silences_TB0105_there_and_nowhere_else()
    {
        var compilation = GeneratorHarness.Compile(Config, path: Path);
        var diagnostic = Assert.Single(Run(compilation));
        Assert.Equal("TB0105", diagnostic.Id);
        Assert.Contains(RunAll(compilation), d => d.IsSuppressed && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("0.002", StringComparison.Ordinal));
        Assert.Contains("0.003", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));   // Other's, not Small's
        Assert.Equal(LocationKind.SourceFile, diagnostic.Location.Kind);
    }

    [Fact]
    public void Editorconfig_severity_none_silences_TB0105_and_error_raises_it()
    {
        string source = Config.Replace("#pragma warning disable TB0105 // small model, high rate on purpose\n", "").Replace("#pragma warning restore TB0105\n", "");
        var compilation = GeneratorHarness.Compile(source, path: Path);
        Assert.Equal(2, Run(compilation).Count(d => d.Id == "TB0105"));

        var silenced = EditorConfig.Apply(compilation, (GeneratorHarness.ProjectDirectory + ".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.TB0105.severity = none\n"));
        Assert.Empty(Run(silenced));

        // A section for other files leaves it alone.
        var elsewhere = EditorConfig.Apply(compilation, (GeneratorHarness.ProjectDirectory + ".editorconfig", "root = true\n\n[Other/*.cs]\ndotnet_diagnostic.TB0105.severity = none\n"));
        Assert.Equal(2, Run(elsewhere).Count(d => d.Id == "TB0105"));

        var raised = EditorConfig.Apply(compilation, (GeneratorHarness.ProjectDirectory + ".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.TB0105.severity = error\n"));
        Assert.All(Run(raised), d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void A_globalconfig_sets_the_severity_of_diagnostics_located_in_the_training_file()
    {
        const string source = """
            using TypedBert;
            [BertLabels(TrainingData = "train.tsv")] public enum E { A, B }
            """;
        var data = GeneratorHarness.File("train.tsv", "text\tlabel\n" + string.Concat(Enumerable.Repeat("x\tA\n", 11)) + "y\tB\n");
        var compilation = GeneratorHarness.Compile(source, path: Path);
        var info = Assert.Single(Run(compilation, data));
        Assert.Equal(("TB0203", DiagnosticSeverity.Info), (info.Id, info.Severity));

        var raised = EditorConfig.Apply(compilation, (GeneratorHarness.ProjectDirectory + ".globalconfig", "is_global = true\ndotnet_diagnostic.TB0203.severity = warning\n"));
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(Run(raised, data)).Severity);
        var silenced = EditorConfig.Apply(compilation, (GeneratorHarness.ProjectDirectory + ".globalconfig", "is_global = true\ndotnet_diagnostic.TB0203.severity = none\n"));
        Assert.Empty(Run(silenced, data));
    }

    [Fact]
    public void Moving_lines_re_reports_the_warning_at_its_new_line_without_emitting_again()
    {
        string source = Config.Replace("#pragma warning disable TB0105 // small model, high rate on purpose\n", "").Replace("#pragma warning restore TB0105\n", "");
        var compilation = GeneratorHarness.Compile(source, path: Path);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        int before = driver.GetRunResult().Diagnostics.First().Location.GetLineSpan().StartLinePosition.Line;

        var tree = compilation.SyntaxTrees.Single();
        var moved = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().WithChanges(new TextChange(new TextSpan(0, 0), "// header\n// lines\n"))));
        driver = driver.RunGenerators(moved);
        var run = driver.GetRunResult();
        Assert.Equal(before + 2, run.Diagnostics.First().Location.GetLineSpan().StartLinePosition.Line);
        var steps = run.Results.Single().TrackedSteps;
        Assert.Contains(steps[BertLabelsGenerator.Steps.TrainingConfigDiagnostics].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        foreach (var name in new[] { BertLabelsGenerator.Steps.TrainingConfigSpecs, BertLabelsGenerator.Steps.LabelEnumSpecs })
            Assert.All(steps[name].SelectMany(s => s.Outputs), o => Assert.True(o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, $"{name}: {o.Reason}"));
    }
}
