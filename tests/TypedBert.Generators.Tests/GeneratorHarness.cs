using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TypedBert.Generators;

namespace TypedBert.Generators.Tests;

/// <summary>Compiles a source text with the generator and TypedBert's metadata, the way a user's project would.</summary>
internal static class GeneratorHarness
{
    static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(BertLabelsAttribute).Assembly.Location),   // TypedBert.Abstractions: the attributes
        MetadataReference.CreateFromFile(typeof(Classification.TextClassifier).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run)
    {
        public ImmutableArray<Diagnostic> CompilationErrors =>
            [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

        public string GeneratedText => string.Join("\n", Run.GeneratedTrees.Select(t => t.ToString()));
    }

    public static CSharpCompilation Compile(string source, LanguageVersion language = LanguageVersion.Preview, string path = "User.cs") =>
        CSharpCompilation.Create("UserProject",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(language), path: path)],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the SDK does: TorchSharp targets net8.0, whose System.Runtime unifies with net10.0's.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    /// <summary>The project folder the tests' AdditionalFiles live in, as MSBuild passes it (build_property.ProjectDir, with a trailing slash).</summary>
    public const string ProjectDirectory = "/src/UserProject/";

    public static GeneratorDriver Driver(LanguageVersion language = LanguageVersion.Preview, IEnumerable<AdditionalText>? additionalFiles = null, string? projectDirectory = ProjectDirectory) =>
        CSharpGeneratorDriver.Create([new BertLabelsGenerator().AsSourceGenerator()],
            additionalTexts: additionalFiles,
            parseOptions: new CSharpParseOptions(language),
            optionsProvider: new BuildProperties(projectDirectory is null ? [] : new() { ["build_property.ProjectDir"] = projectDirectory }),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(string source, LanguageVersion language = LanguageVersion.Preview) => Run(source, [], language);

    /// <summary>Runs with AdditionalFiles: (path relative to <see cref="ProjectDirectory"/>, content).</summary>
    public static Result Run(string source, IEnumerable<(string Path, string Text)> files, LanguageVersion language = LanguageVersion.Preview, string? projectDirectory = ProjectDirectory)
    {
        var driver = Driver(language, files.Select(f => File(f.Path, f.Text)), projectDirectory)
            .RunGeneratorsAndUpdateCompilation(Compile(source, language), out var output, out var diagnostics);
        return new Result(output, diagnostics, driver.GetRunResult());
    }

    /// <summary>An AdditionalFiles item at <see cref="ProjectDirectory"/> + <paramref name="relativePath"/>.</summary>
    public static AdditionalText File(string relativePath, string text) => new InMemoryFile(ProjectDirectory + relativePath, SourceText.From(text));

    sealed class InMemoryFile(string path, SourceText text) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => text;
    }

    /// <summary>MSBuild's global analyzer options (the generated .editorconfig's build_property.* lines).</summary>
    sealed class BuildProperties(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        readonly Options options = new(new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase));
        public override AnalyzerConfigOptions GlobalOptions => options;
        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;
        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static readonly Options Empty = new([]);
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
        }
    }

    /// <summary>Whether <paramref name="value"/> holds a Roslyn symbol, syntax node or compilation anywhere in its fields.</summary>
    public static string? FindRoslynObject(object? value, string path = "", int depth = 0)
    {
        if (value is null || depth > 8) return null;
        if (value is ISymbol or SyntaxNode or Compilation or SemanticModel) return $"{path}: {value.GetType().Name}";
        var type = value.GetType();
        if (type.IsPrimitive || value is string || type.IsEnum) return null;
        if (value is System.Collections.IEnumerable sequence)
        {
            int i = 0;
            foreach (var item in sequence)
                if (FindRoslynObject(item, $"{path}[{i++}]", depth + 1) is string found) return found;
            return null;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            if (FindRoslynObject(field.GetValue(value), $"{path}.{field.Name}", depth + 1) is string found) return found;
        return null;
    }
}
