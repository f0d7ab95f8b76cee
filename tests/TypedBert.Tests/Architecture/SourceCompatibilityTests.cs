using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedBert.Tests.Architecture;

/// <summary>
/// User code written before the layering (issue 27) compiles as it was, or fails with a message that says what to write: each
/// snippet is compiled against the built TypedBert.dll as a user's project would.
/// </summary>
public sealed class SourceCompatibilityTests
{
    [Fact]
    public void FromRows_is_still_called_on_TrainingExample()
    {
        var errors = Compile("""
            using TypedBert.Classification;
            using TypedBert.Data;
            var labels = new LabelSet(["neg", "pos"]);
            var rows = new[] { new DataRow("train.tsv", 2, "fine", null, "pos") };
            List<TrainingExample> examples = TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel);
            var kept = TrainingExample.FromRows(rows, labels, ProblemType.MultiLabel, skipBadRows: true, out var skipped);
            """);
        Assert.Empty(errors);
    }

    [Fact]
    public void The_old_datasets_namespace_says_where_the_types_went()
    {
        var errors = Compile("""
            using TypedBert.Datasets;
            var imdb = HubDatasets.Load("stanfordnlp/imdb", "train");
            """);
        var error = Assert.Single(errors, e => e.Id == "CS0619");
        Assert.Contains("using TypedBert.Hub.Datasets;", error.GetMessage());
    }

    static List<Diagnostic> Compile(string program)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var tree = CSharpSyntaxTree.ParseText(program, parse);
        var usings = CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Linq;", parse);
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(TypedBert.Data.TrainingExample).Assembly.Location).Distinct().Select(f => MetadataReference.CreateFromFile(f));
        var compilation = CSharpCompilation.Create("UserCode", [tree, usings], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
    }
}
