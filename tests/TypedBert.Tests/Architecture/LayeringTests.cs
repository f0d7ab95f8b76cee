using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedBert.Tests.Architecture;

/// <summary>
/// The core library's folders form layers, and code only reaches down: a file may use types of its own folder and of lower
/// layers, never of a higher layer nor of another folder of its own layer. The compiler binds every name of every file of
/// src/TypedBert (so a type reached through a parent namespace, a fully qualified name, a member or an extension call
/// counts; doc comments do not), and each library type it finds is placed by the folder of the file that declares it.
/// docs/architecture.md draws the same layers.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>
    /// Bottom first. Folders on one line share a layer and may not use each other. A file belongs to the longest entry its path
    /// starts with (<c>Hub/Datasets/HubDatasets.cs</c> to <c>Hub/Datasets</c>, <c>Hub/HubClient.cs</c> to <c>Hub</c>).
    /// </summary>
    internal static readonly string[][] Layers =
    [
        ["Serialization", "Metrics", "Data"],           // atomic files and safetensors, metrics, rows and labels
        ["Tokenization"],
        ["Modeling"],                                   // encoders, each family's heads, the problem types
        ["Hub"],                                        // downloads (a model's files depend on its family)
        ["Pretrained"],                                 // weights and tokenizers, loaded into the above
        ["Classification"],                             // prediction, and rows read for a problem type
        ["Hub/Datasets"],                               // hub datasets, read into examples
        ["Onnx"],                                       // export and the ONNX Runtime engines
        ["Explanations", "Calibration"],                // integrated gradients over the word embeddings; temperature scaling
        ["Training"],
        ["Search", "ZeroShot"],
        ["Suggestions"],                                // which texts to label next (uncertainty, diversity), from any classifier
        ["Typed"],                                      // typed labels over training and prediction
    ];

    /// <summary>
    /// Edges that point up today and that branches merged after this one remove; the lead deletes each entry once it no longer
    /// occurs (<see cref="KnownEdgesToRemoveStillOccur"/> says when). Keep this list short: a new upward edge is a design bug.
    /// </summary>
    internal static readonly (string From, string To, string Why)[] KnownEdgesToRemove =
    [
        // Empty: every upward edge is gone. An entry is a debt with its way out, never a way to merge a new upward edge.
    ];

    static readonly Lazy<IReadOnlyList<Edge>> AllEdges = new(FindEdges);

    [Fact]
    public void Every_folder_of_the_library_has_a_layer()
    {
        var folders = Directory.GetDirectories(SourceRoot).Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "buildTransitive"))
            .Where(name => Directory.EnumerateFiles(Path.Combine(SourceRoot, name!), "*.cs", SearchOption.AllDirectories).Any());
        var missing = folders.Where(f => LayerOf(f!) < 0).ToList();
        Assert.True(missing.Count == 0, $"src/TypedBert/{string.Join(", ", missing)} has no layer: add it to LayeringTests.Layers and docs/architecture.md");
    }

    [Fact]
    public void No_file_uses_a_higher_layer_or_a_sibling_folder()
    {
        var bad = AllEdges.Value.Where(e => !Allowed(e) && !IsKnown(e)).ToList();
        Assert.True(bad.Count == 0, "Edges against the layers (file -> type in file, layers):\n" + string.Join("\n", bad.Select(Describe)));
    }

    [Fact]
    public void KnownEdgesToRemoveStillOccur()
    {
        var gone = KnownEdgesToRemove.Where(k => !AllEdges.Value.Any(e => !Allowed(e) && Matches(k, e))).Select(k => $"{k.From} -> {k.To}").ToList();
        Assert.True(gone.Count == 0, $"No longer used: {string.Join(", ", gone)}; delete from LayeringTests.KnownEdgesToRemove");
    }

    [Fact]
    public void The_scan_sees_edges_it_must_see()
    {
        // Oracle: edges read by eye from the sources, through a using, a parent namespace and an extension call.
        var edges = AllEdges.Value;
        Assert.Contains(edges, e => e.File == "Training/Evaluation.cs" && e.Target == "Classification/TextClassifier.cs");
        Assert.Contains(edges, e => e.File == "Classification/LongText/LongTextNames.cs" && e.Target == "Modeling/Heads/LongTextNameTable.cs");
        Assert.Contains(edges, e => e.File == "Classification/LongText/WindowAggregator.cs" && e.Target == "Modeling/Heads/ProblemType.cs");
        Assert.Contains(edges, e => e.File == "Hub/Datasets/HubDatasetSplit.cs" && e.Target == "Classification/TrainingExampleRows.cs");
    }

    internal sealed record Edge(string File, string Target, string Type)
    {
        public string FromFolder => FolderOf(File);
        public string ToFolder => FolderOf(Target);
    }

    /// <summary>The <see cref="Layers"/> entry of a file: the longest one its path starts with, else its top folder.</summary>
    static string FolderOf(string path) =>
        Layers.SelectMany(layer => layer).Where(entry => path.StartsWith(entry + "/", StringComparison.Ordinal)).MaxBy(entry => entry.Length)
        ?? path.Split('/')[0];

    static bool Allowed(Edge e) =>
        e.FromFolder == e.ToFolder || LayerOf(e.ToFolder) < LayerOf(e.FromFolder);

    static bool IsKnown(Edge e) => KnownEdgesToRemove.Any(k => Matches(k, e));

    static bool Matches((string From, string To, string Why) known, Edge e) =>
        (known.From == "*" || known.From == e.File) && (known.To.EndsWith('/') ? e.Target.StartsWith(known.To, StringComparison.Ordinal) : known.To == e.Target);

    static int LayerOf(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder));

    static string Describe(Edge e)
    {
        string from = $"layer {LayerOf(e.FromFolder)} ({e.FromFolder})", to = $"layer {LayerOf(e.ToFolder)} ({e.ToFolder})";
        string kind = LayerOf(e.ToFolder) == LayerOf(e.FromFolder) ? "sideways" : "up";
        return $"  src/TypedBert/{e.File} -> {e.Type} in src/TypedBert/{e.Target}: {kind}, {from} -> {to}";
    }

    static string SourceRoot => Path.Combine(TestPaths.RepositoryRoot, "src", "TypedBert");

    /// <summary>Binds every file of the library and records, per file, the library types its code names.</summary>
    static IReadOnlyList<Edge> FindEdges()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var files = Directory.EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Relative(f).StartsWith("bin/", StringComparison.Ordinal) && !Relative(f).StartsWith("obj/", StringComparison.Ordinal)
                && !Relative(f).StartsWith("buildTransitive/", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, path: f))
            .ToList();
        // The SDK's implicit usings (ImplicitUsings=enable), which live in obj/ and are not read above.
        var implicitUsings = CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; "
            + "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", parse);
        var compilation = CSharpCompilation.Create("LayeringScan", [.. files, implicitUsings], References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));

        var edges = new HashSet<Edge>();
        foreach (var tree in files)
        {
            string file = Relative(tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not (SimpleNameSyntax or ImplicitObjectCreationExpressionSyntax)) continue;
                if (node.Parent is UsingDirectiveSyntax || node.FirstAncestorOrSelf<UsingDirectiveSyntax>() is not null) continue;
                var info = model.GetSymbolInfo(node);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (DeclaringFile(symbol) is { } target && target != file) edges.Add(new Edge(file, target, TypeOf(symbol!)!.Name));
            }
        }
        return [.. edges.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Target, StringComparer.Ordinal)];
    }

    static INamedTypeSymbol? TypeOf(ISymbol symbol)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        if (symbol is IMethodSymbol { ReducedFrom: { } extension }) type = extension.ContainingType;
        while (type?.ContainingType is not null) type = type.ContainingType;
        return type?.OriginalDefinition;
    }

    /// <summary>The library file that declares the type of <paramref name="symbol"/>, or null for a type from elsewhere.</summary>
    static string? DeclaringFile(ISymbol? symbol)
    {
        if (symbol is null || symbol is INamespaceSymbol) return null;
        var type = TypeOf(symbol);
        var location = type?.Locations.FirstOrDefault(l => l.IsInSource && l.SourceTree?.FilePath.StartsWith(SourceRoot, StringComparison.Ordinal) == true);
        return location is null ? null : Relative(location.SourceTree!.FilePath);
    }

    static string Relative(string path) => Path.GetRelativePath(SourceRoot, path).Replace('\\', '/');

    /// <summary>The framework and the library's packages (from the test's own output); the library's own assemblies come from source.</summary>
    static IEnumerable<MetadataReference> References()
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var packages = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll");
        // The library comes from source (the CLI and tests beside it stay out); TypedBert.Abstractions stays in: its types are the bottom layer.
        static bool IsOwnAssembly(string file) =>
            Path.GetFileName(file).StartsWith("TypedBert", StringComparison.Ordinal) && Path.GetFileName(file) != "TypedBert.Abstractions.dll";
        return platform.Concat(packages).Where(f => !IsOwnAssembly(f)).DistinctBy(Path.GetFileName).Select(f => MetadataReference.CreateFromFile(f));
    }
}
