namespace TypedBert.Generators.Model;

/// <summary>One enum member: its C# name, its label (from <c>[Label]</c> or the name) and its value.</summary>
internal readonly record struct LabelMemberSpec(string MemberName, string Label, long Value);

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
    EquatableArray<LabelMemberSpec> Members);

/// <summary>Where a diagnostic points, without keeping a syntax tree alive.</summary>
internal sealed record LocationInfo(string FilePath, Microsoft.CodeAnalysis.Text.TextSpan Span, Microsoft.CodeAnalysis.Text.LinePositionSpan LineSpan)
{
    public Microsoft.CodeAnalysis.Location ToLocation() => Microsoft.CodeAnalysis.Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Microsoft.CodeAnalysis.Location? location) =>
        location?.SourceTree is null ? null : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
}

/// <summary>A diagnostic to report, as equatable data.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);

/// <summary>The parser's result: a spec when the enum can be generated, and the diagnostics found.</summary>
internal sealed record ParseResult(LabelEnumSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics);
