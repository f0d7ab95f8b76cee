using System.Linq;

namespace TypedBert.Generators.Model;

/// <summary>One enum member: its C# name, its label (from <c>[Label]</c> or the name), its value and its descriptions (<c>[Label(Description = ...)]</c>).</summary>
internal readonly record struct LabelMemberSpec(string MemberName, string Label, long Value)
{
    /// <summary>The sentences that describe the label, as written (checked by the parser: TB0006-TB0008); empty when none.</summary>
    public EquatableArray<string> Descriptions { get; init; }
}

/// <summary>
/// Everything the emitter needs about one <c>[BertLabels]</c> enum, as plain equatable data: no symbols or syntax nodes,
/// so the incremental pipeline can cache it.
/// </summary>
internal sealed record LabelEnumSpec(
    string? Namespace,
    string EnumName,
    string FullyQualifiedName,
    bool IsPublic,
    bool IsFlags,
    string BaseModel,
    string? ModelPath,
    EquatableArray<LabelMemberSpec> Members)
{
    /// <summary>The columns named on the attribute (TextColumn, LabelColumn), which ReadExamples reads unless given others; null for the defaults.</summary>
    public (string Text, string Label)? Columns { get; init; }

    /// <summary>Whether any member has a description: the generated classifier can then start zero-shot.</summary>
    public bool HasDescriptions => Members.Any(m => m.Descriptions.Count > 0);
}

/// <summary>
/// A diagnostic to report. <paramref name="Location"/> is the real one: a location in the user's syntax tree, so that
/// <c>#pragma warning disable</c> and .editorconfig severities apply to it (a location rebuilt from a file path is "external"
/// to Roslyn, which then ignores both; dotnet/roslyn#68291), or a line of an additional file. It keeps that syntax tree alive,
/// so diagnostics travel in their own pipeline steps, apart from the specs the emitter caches on.
/// </summary>
/// <param name="FixValue">The value a code fix writes (TB0101, TB0102, TB0112: the model's limit), passed as the diagnostic's property "TypedBert.FixValue".</param>
internal sealed record DiagnosticInfo(string Id, Microsoft.CodeAnalysis.Location? Location, EquatableArray<string> Arguments, string? FixValue = null);

/// <summary>
/// The parser's result: a spec when the enum can be generated, the diagnostics found, and what the data and model-folder
/// checks need (null when the enum itself has errors).
/// </summary>
internal sealed record ParseResult(LabelEnumSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, FileChecks? Checks = null);
