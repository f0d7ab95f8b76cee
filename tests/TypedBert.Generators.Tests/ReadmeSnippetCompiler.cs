using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedBert.Generators.Tests;

/// <summary>
/// Compiles one README snippet as a reader's project would: TypedBert, TypedBert.Hosting, ASP.NET Core and the
/// BertLabels generator referenced, the SDK's implicit usings and TypedBert's namespaces imported. A snippet is a fragment,
/// so its type declarations go to the top level and its statements into one async method; a name it uses without declaring
/// is given only if <see cref="Givens"/> lists it (the context the README's prose sets), and any other error is reported at
/// its README line (<c>#line</c> directives map the wrapper back).
/// </summary>
internal static class ReadmeSnippetCompiler
{
    /// <summary>Names the README's fragments use from their surroundings: a parameter of the wrapping method, or a declaration.</summary>
    static readonly Dictionary<string, string> GivenParameters = new()
    {
        ["text"] = "string text",
        ["labels"] = "TypedBert.Data.LabelSet labels",
        ["examples"] = "System.Collections.Generic.IReadOnlyList<TypedBert.Data.TrainingExample> examples",
        ["token"] = "System.Threading.CancellationToken token",
        ["classifier"] = "TypedBert.Classification.TextClassifier classifier",
        ["builder"] = "Microsoft.AspNetCore.Builder.WebApplicationBuilder builder",
    };

    static readonly Dictionary<string, string> GivenTypes = new()
    {
        ["Party"] = "[BertLabels(Model = \"minilm-l6-uncased\")] public enum Party { Labour, Conservative }",
        ["Sentiment"] = "[BertLabels(Model = \"minilm-l6-uncased\")] public enum Sentiment { Negative, Positive }",
    };

    /// <summary>The project's AdditionalFiles a snippet reads at compile time: the Topic snippet's data/train.tsv, with its four labels.</summary>
    static readonly (string Path, string Text)[] GivenFiles =
    [
        ("data/train.tsv", "text\tlabel\nPeace talks resume\tWorld\nLate goal wins the cup\tSports\nShares fall\tBusiness\nNew chip is faster\tSci/Tech\n"),
    ];

    static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        .. AspNetCoreReferences(),
        MetadataReference.CreateFromFile(typeof(BertLabelsAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TypedBert.Classification.TextClassifier).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TypedBert.Hosting.BertClassifier<>).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ]);

    /// <summary>The errors of <paramref name="snippet"/> (and the generator's warnings), each with its README line; empty when it compiles.</summary>
    public static IReadOnlyList<string> Errors(ReadmeSnippets.Snippet snippet, string readmePath)
    {
        var unit = CSharpSyntaxTree.ParseText(snippet.Code, new CSharpParseOptions(LanguageVersion.Preview)).GetCompilationUnitRoot();
        var parameters = new List<string>();
        var types = new List<string>();
        for (int round = 0; ; round++)
        {
            string source = Wrap(unit, snippet.Line, readmePath, parameters, types);
            var compilation = CSharpCompilation.Create("ReadmeSnippet",
                [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview), path: "Snippet.cs")],
                References.Value,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                    .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
            GeneratorHarness.Driver(additionalFiles: GivenFiles.Select(f => GeneratorHarness.File(f.Path, f.Text))).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
            var problems = generatorDiagnostics.Concat(output.GetDiagnostics())
                .Where(d => d.Severity == DiagnosticSeverity.Error || (d.Severity == DiagnosticSeverity.Warning && d.Id.StartsWith("TB", StringComparison.Ordinal)))
                .ToList();

            // A name the snippet leaves to its surroundings: give it once, if it is one the README's prose sets, and compile again.
            var missing = problems.Where(d => d.Id is "CS0103" or "CS0246").Select(Name).Distinct().ToList();
            var added = missing.Where(n => GivenParameters.ContainsKey(n) && !parameters.Contains(GivenParameters[n])).Select(n => GivenParameters[n])
                .Concat(missing.Where(n => GivenTypes.ContainsKey(n) && !types.Contains(GivenTypes[n])).Select(n => GivenTypes[n])).ToList();
            if (added.Count == 0 || round > 3)
                return [.. problems.Select(d => $"{d.Location.GetMappedLineSpan().Path}:{d.Location.GetMappedLineSpan().StartLinePosition.Line + 1}: {d.Id}: {d.GetMessage()}")];
            foreach (string given in added)
                (given.StartsWith('[') ? types : parameters).Add(given);
        }
    }

    static string Name(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.SourceSpan;
        return diagnostic.Location.SourceTree!.GetText().ToString(span);
    }

    /// <summary>Usings first, the snippet's types at the top level, its statements in <c>Snippet.RunAsync</c>, each piece under a <c>#line</c> to its README line.</summary>
    static string Wrap(CompilationUnitSyntax unit, int firstLine, string readmePath, IEnumerable<string> parameters, IEnumerable<string> types)
    {
        var text = unit.SyntaxTree.GetText();
        string At(SyntaxNode node) => $"#line {firstLine + text.Lines.GetLineFromPosition(node.SpanStart).LineNumber} \"{readmePath}\"\n";
        var source = new StringBuilder();
        foreach (string name in ImplicitUsings.Concat(TypedBertNamespaces()))
            source.Append("using ").Append(name).Append(";\n");
        foreach (var usingDirective in unit.Usings)
            source.Append(At(usingDirective)).Append(usingDirective.ToString()).Append('\n');
        source.Append("#line default\n");
        foreach (string type in types)
            source.Append(type).Append('\n');
        foreach (var member in unit.Members.Where(m => m is not GlobalStatementSyntax))
            source.Append(At(member)).Append(member.ToFullString().Trim()).Append("\n#line default\n");
        source.Append("static class Snippet\n{\n    static async System.Threading.Tasks.Task RunAsync(").Append(string.Join(", ", parameters)).Append(")\n    {\n");
        foreach (var statement in unit.Members.OfType<GlobalStatementSyntax>())
            source.Append(At(statement)).Append(statement.ToFullString().Trim()).Append('\n');
        source.Append("#line default\n        await System.Threading.Tasks.Task.CompletedTask;\n    }\n}\n");
        return source.ToString();
    }

    /// <summary>Every namespace with a public type in TypedBert, its abstractions and TypedBert.Hosting: the README's fragments leave their usings out.</summary>
    static IEnumerable<string> TypedBertNamespaces() =>
        new[] { typeof(BertLabelsAttribute).Assembly, typeof(TypedBert.Classification.TextClassifier).Assembly, typeof(TypedBert.Hosting.BertClassifier<>).Assembly, typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            // Obsolete pointers (the old TypedBert.Datasets names) would make the new names ambiguous.
            .Where(t => !t.IsDefined(typeof(ObsoleteAttribute), inherit: false)).Select(t => t.Namespace).OfType<string>().Distinct().Order()
            .Append("Microsoft.AspNetCore.Builder");

    /// <summary>ASP.NET Core's reference assemblies from the SDK's targeting pack (the README's hosting snippet uses WebApplicationBuilder).</summary>
    static IEnumerable<MetadataReference> AspNetCoreReferences()
    {
        string root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        string pack = Path.Combine(root, "packs", "Microsoft.AspNetCore.App.Ref");
        string version = Directory.Exists(pack)
            ? Directory.GetDirectories(pack, "10.*").Select(Path.GetFileName).OfType<string>().Order().LastOrDefault()
                ?? throw new DirectoryNotFoundException($"no 10.* in {pack}: install the .NET 10 SDK, which carries ASP.NET Core's targeting pack")
            : throw new DirectoryNotFoundException($"no {pack}: install the .NET 10 SDK, which carries ASP.NET Core's targeting pack");
        return Directory.GetFiles(Path.Combine(pack, version, "ref", "net10.0"), "*.dll").Select(f => MetadataReference.CreateFromFile(f));
    }
}
