using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using TypedBert.CodeFixes;

namespace TypedBert.Generators.Tests;

/// <summary>
/// The code fixes, applied as the IDE applies them: the generator's diagnostics for a document of a workspace project, the
/// fix registered for each, its change applied; then the fixed source must compile with no diagnostic of that ID left.
/// </summary>
public sealed class CodeFixTests
{
    static Document Document(string source)
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "UserProject", "UserProject", LanguageNames.CSharp,
            compilationOptions: GeneratorHarness.Compile("").Options,
            parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
            metadataReferences: GeneratorHarness.Compile("").References));
        return workspace.AddDocument(project.Id, "User.cs", SourceText.From(source));
    }

    /// <summary>The generator's diagnostics on the document's compilation (located in its syntax tree, as in the IDE).</summary>
    static async Task<ImmutableArray<Diagnostic>> Diagnose(Document document)
    {
        var compilation = (await document.Project.GetCompilationAsync())!;
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics);
        return diagnostics;
    }

    /// <summary>Applies the fix offered for the first diagnostic with <paramref name="id"/>; returns the fixed text and the fix's title.</summary>
    static async Task<(string Text, string Title)> Fix(string source, string id)
    {
        var document = Document(source);
        var diagnostic = (await Diagnose(document)).First(d => d.Id == id);
        var provider = new TypedBertCodeFixProvider();
        Assert.Contains(id, provider.FixableDiagnosticIds);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        var action = Assert.Single(actions);
        var change = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single();
        var fixedDocument = change.ChangedSolution.GetDocument(document.Id)!;
        string text = (await fixedDocument.GetTextAsync()).ToString();
        var left = await Diagnose(fixedDocument);
        Assert.True(!left.Any(d => d.Id == id), $"{id} is still reported after the fix:\n{text}\n{string.Join("\n", left)}");
        return (text, action.Title);
    }

    [Fact]
    public async Task TB0001_renumbers_the_members_0_to_N_minus_1()
    {
        var (text, title) = await Fix("using TypedBert;\n[BertLabels] public enum Topic { World = 1, Sports = 2, [Label(\"Sci/Tech\")] Science = 5 }\n", "TB0001");
        Assert.Equal("using TypedBert;\n[BertLabels] public enum Topic { World, Sports, [Label(\"Sci/Tech\")] Science }\n", text);
        Assert.Equal("Number the labels 0..N-1 (remove the explicit values)", title);
    }

    [Fact]
    public async Task TB0005_numbers_the_flags_as_powers_of_two_and_keeps_None()
    {
        var (text, _) = await Fix("using TypedBert;\n[BertLabels, System.Flags] public enum Tags { None = 0, Urgent = 1, Billing = 3, Outage }\n", "TB0005");
        Assert.Equal("using TypedBert;\n[BertLabels, System.Flags] public enum Tags { None = 0, Urgent = 1, Billing = 2, Outage = 4 }\n", text);
    }

    [Theory]
    [InlineData("MaxLength = 1024", "MaxLength = 512", "TB0101", "Use MaxLength = 512, the base model's limit")]
    [InlineData("FreezeLayers = 9", "FreezeLayers = 6", "TB0102", "Use FreezeLayers = 6, the base model's limit")]
    [InlineData("Window = 1024", "Window = 512", "TB0112", "Use Window = 512, the base model's limit")]
    [InlineData("LearningRate = 2e-3", "LearningRate = 2e-5", "TB0105", "Use LearningRate = 2e-5")]
    [InlineData("LearningRate = 0.0003", "LearningRate = 3e-5", "TB0105", "Use LearningRate = 3e-5")]
    [InlineData("LearningRate = 1e-3", "LearningRate = 1e-4", "TB0105", "Use LearningRate = 1e-4")]
    [InlineData("LearningRate = 1.5E-7", "LearningRate = 1.5e-5", "TB0105", "Use LearningRate = 1.5e-5")]
    public async Task Training_configuration_values_are_brought_into_range(string before, string after, string id, string title)
    {
        const string template = "using TypedBert;\n[BertLabels] public enum E { A, B }\n[BertTrainingConfig(typeof(E), Epochs = 3, {0})]\npublic partial class C;\n";
        var (text, fixTitle) = await Fix(template.Replace("{0}", before), id);
        Assert.Equal(template.Replace("{0}", after), text);
        Assert.Equal(title, fixTitle);
    }

    [Theory]
    [InlineData(2e-3, "2e-5")]
    [InlineData(9.5e-2, "9.5e-5")]
    [InlineData(1e-6, "1e-5")]
    [InlineData(1e-3, "1e-4")]
    [InlineData(0, null)]
    [InlineData(-1e-3, null)]
    public void The_exponent_fix_keeps_the_digits(double rate, string? expected) =>
        Assert.Equal(expected, TypedBertCodeFixProvider.FixExponent(rate));

    [Fact]
    public void The_generator_and_the_code_fix_agree_on_the_property_name() =>
        Assert.Equal(TypedBertCodeFixProvider.FixValueProperty, BertLabelsGenerator.FixValueProperty);
}
