using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedBert.Data;
using TypedBert.Generators.Model;

namespace TypedBert.Generators.Parsing;

/// <summary>Reads a <c>[BertLabels]</c> enum symbol into a <see cref="LabelEnumSpec"/>, with the diagnostics it finds.</summary>
internal static class LabelEnumParser
{
    public const string BertLabelsAttribute = "TypedBert.BertLabelsAttribute";
    const string LabelAttribute = "TypedBert.LabelAttribute";
    const string DefaultModel = "minilm-l6-uncased";

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol { TypeKind: TypeKind.Enum } symbol) return new ParseResult(null, default);
        cancellationToken.ThrowIfCancellationRequested();
        var diagnostics = new List<DiagnosticInfo>();
        var location = symbol.Locations.FirstOrDefault();
        string name = symbol.Name;

        if (Unreachable(symbol) is string why)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.UnreachableEnum.Id, location, new[] { name, why }));
            return new ParseResult(null, diagnostics.ToEquatableArray());
        }

        var attribute = context.Attributes[0];
        string baseModel = Named(attribute, "Model") ?? DefaultModel;
        string? modelPath = Named(attribute, "ModelPath");
        bool isFlags = symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");

        var members = new List<(LabelMemberSpec Spec, Location? Location)>();
        foreach (var field in symbol.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue))
            members.Add((Member(field), field.Locations.FirstOrDefault()));

        // A [Flags] enum's None = 0 is "no label", not a label.
        var labels = isFlags ? members.Where(m => m.Spec.Value != 0).ToList() : members;
        if (labels.Count < 2)
            diagnostics.Add(new DiagnosticInfo(Diagnostics.TooFewLabels.Id, location, new[] { name, labels.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

        if (isFlags)
        {
            var seen = new HashSet<long>();
            foreach (var (member, memberLocation) in labels)
                if (member.Value < 0 || (member.Value & (member.Value - 1)) != 0 || !seen.Add(member.Value))
                    diagnostics.Add(new DiagnosticInfo(Diagnostics.FlagValuesNotPowersOfTwo.Id, memberLocation ?? location,
                        new[] { member.MemberName, name, member.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }
        else
        {
            for (int i = 0; i < members.Count; i++)
                if (members[i].Spec.Value != i)
                    diagnostics.Add(new DiagnosticInfo(Diagnostics.LabelValuesNotContiguous.Id, members[i].Location ?? location,
                        new[] { members[i].Spec.MemberName, name, members[i].Spec.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), (members.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        var byLabel = new Dictionary<string, LabelMemberSpec>(StringComparer.OrdinalIgnoreCase);
        foreach (var (member, memberLocation) in labels)
        {
            if (byLabel.TryGetValue(member.Label, out var first))
                diagnostics.Add(new DiagnosticInfo(Diagnostics.DuplicateLabel.Id, memberLocation ?? location, new[] { first.MemberName, member.MemberName, name, member.Label }));
            else
                byLabel[member.Label] = member;
        }

        DescriptionChecks.Check(name, isFlags, members, location, diagnostics);

        var ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } containing ? containing.ToDisplayString() : null;
        var spec = new LabelEnumSpec(ns, name, symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            IsPublic: EffectivelyPublic(symbol), isFlags, baseModel, modelPath,
            labels.OrderBy(m => m.Spec.Value).Select(m => m.Spec).ToEquatableArray());
        if (diagnostics.Count != 0) return new ParseResult(null, diagnostics.ToEquatableArray());
        string textColumn = Named(attribute, "TextColumn") ?? DataColumnDefaults.Text, labelColumn = Named(attribute, "LabelColumn") ?? DataColumnDefaults.Label;
        if (textColumn != DataColumnDefaults.Text || labelColumn != DataColumnDefaults.Label) spec = spec with { Columns = (textColumn, labelColumn) };

        // The files named on the attribute are checked in later steps, against the AdditionalFiles; their diagnostics point
        // at the argument that names the file when the file itself is not there to point into.
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        Location? ArgumentLocation(string argument) =>
            attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument)?.GetLocation()
                ?? attributeSyntax?.GetLocation() ?? location;
        string? trainingData = Named(attribute, "TrainingData");
        var data = string.IsNullOrWhiteSpace(trainingData) ? null
            : new DataRequest(trainingData!, textColumn, labelColumn);
        var checks = data is null && string.IsNullOrWhiteSpace(modelPath) ? null
            : new FileChecks(name, isFlags, spec.Members, data, data is null ? null : ArgumentLocation("TrainingData"),
                string.IsNullOrWhiteSpace(modelPath) ? null : modelPath, string.IsNullOrWhiteSpace(modelPath) ? null : ArgumentLocation("ModelPath"));
        return new ParseResult(spec, diagnostics.ToEquatableArray(), checks);
    }

    static LabelMemberSpec Member(IFieldSymbol field)
    {
        var attribute = field.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == LabelAttribute);
        string label = attribute?.ConstructorArguments.FirstOrDefault().Value as string ?? field.Name;
        var descriptions = new List<string>();
        if (attribute is not null && Named(attribute, "Description") is string description) descriptions.Add(description);
        if (attribute?.NamedArguments.FirstOrDefault(a => a.Key == "Descriptions").Value is { Kind: TypedConstantKind.Array, IsNull: false } many)
            descriptions.AddRange(many.Values.Select(v => v.Value as string ?? ""));
        return new LabelMemberSpec(field.Name, label, Convert.ToInt64(field.ConstantValue)) { Descriptions = descriptions.ToEquatableArray() };
    }

    /// <summary>The labels of <paramref name="symbol"/> in value order, as the spec holds them (a <c>[Flags]</c> enum's None = 0 is no label).</summary>
    public static IEnumerable<LabelMemberSpec> Labels(INamedTypeSymbol symbol, bool isFlags) =>
        symbol.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(Member)
            .Where(m => !isFlags || m.Value != 0).OrderBy(m => m.Value);

    static string? Named(AttributeData attribute, string name) =>
        attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value as string;

    static string? Unreachable(INamedTypeSymbol symbol)
    {
        for (ISymbol? current = symbol; current is INamedTypeSymbol type; current = type.ContainingType)
        {
            if (type.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                return SymbolEqualityComparer.Default.Equals(current, symbol)
                    ? type.DeclaredAccessibility.ToString().ToLowerInvariant()
                    : $"inside {type.DeclaredAccessibility.ToString().ToLowerInvariant()} type '{type.Name}'";
            if (!SymbolEqualityComparer.Default.Equals(current, symbol) && type.IsGenericType) return $"nested in the generic type '{type.Name}'";
        }
        return null;
    }

    static bool EffectivelyPublic(INamedTypeSymbol symbol)
    {
        for (INamedTypeSymbol? type = symbol; type is not null; type = type.ContainingType)
            if (type.DeclaredAccessibility != Accessibility.Public) return false;
        return true;
    }
}
