using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TypedBert.Generators;

namespace TypedBert.Generators.Tests;

/// <summary>Compiles a source text with the generator and TypedBert's metadata, the way a user's project would.</summary>
internal static class GeneratorHarness
{
    static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(BertLabelsAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    public sealed record Result(Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Run)
    {
        public ImmutableArray<Diagnostic> CompilationErrors =>
            [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];

        public string GeneratedText => string.Join("\n", Run.GeneratedTrees.Select(t => t.ToString()));
    }

    public static CSharpCompilation Compile(string source, LanguageVersion language = LanguageVersion.Preview) =>
        CSharpCompilation.Create("UserProject",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(language), path: "User.cs")],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the SDK does: TorchSharp targets net8.0, whose System.Runtime unifies with net10.0's.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver Driver(LanguageVersion language = LanguageVersion.Preview) =>
        CSharpGeneratorDriver.Create([new BertLabelsGenerator().AsSourceGenerator()],
            parseOptions: new CSharpParseOptions(language),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static Result Run(string source, LanguageVersion language = LanguageVersion.Preview)
    {
        var driver = Driver(language).RunGeneratorsAndUpdateCompilation(Compile(source, language), out var output, out var diagnostics);
        return new Result(output, diagnostics, driver.GetRunResult());
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
