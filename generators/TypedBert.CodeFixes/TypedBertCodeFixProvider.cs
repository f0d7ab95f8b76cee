using System;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TypedBert.CodeFixes;

/// <summary>
/// One-click fixes for the generator's diagnostics whose fix is mechanical: renumber a single-label enum 0..N-1 (TB0001),
/// number flags 1, 2, 4, ... (TB0005), clamp MaxLength / FreezeLayers / a long-text Window to the base model (TB0101, TB0102,
/// TB0112) and move a learning rate's exponent into 1e-5..1e-4 (TB0105).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TypedBertCodeFixProvider)), Shared]
public sealed class TypedBertCodeFixProvider : CodeFixProvider
{
    /// <summary>The diagnostic property that carries the value a clamp fix writes (the generator sets it on TB0101, TB0102 and TB0112).</summary>
    public const string FixValueProperty = "TypedBert.FixValue";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ["TB0001", "TB0005", "TB0101", "TB0102", "TB0105", "TB0112"];

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            switch (diagnostic.Id)
            {
                case "TB0001" when node.FirstAncestorOrSelf<EnumDeclarationSyntax>() is { } declaration:
                    Register(context, diagnostic, "Number the labels 0..N-1 (remove the explicit values)", "TB0001",
                        token => Replace(context.Document, root, declaration, RemoveValues(declaration)));
                    break;
                case "TB0005" when node.FirstAncestorOrSelf<EnumDeclarationSyntax>() is { } declaration:
                    Register(context, diagnostic, "Number the flags 1, 2, 4, ... (None stays 0)", "TB0005",
                        token => Replace(context.Document, root, declaration, PowersOfTwo(declaration)));
                    break;
                case "TB0101" or "TB0102" or "TB0112" when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: { } name } argument
                                              && diagnostic.Properties.TryGetValue(FixValueProperty, out var limit) && limit is not null:
                    Register(context, diagnostic, $"Use {name.Name.Identifier.ValueText} = {limit}, the base model's limit", diagnostic.Id,
                        token => Replace(context.Document, root, argument.Expression, Literal(limit, argument.Expression)));
                    break;
                case "TB0105" when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { } argument
                                   && ConstantValue(argument.Expression) is double rate && FixExponent(rate) is string fixedRate:
                    Register(context, diagnostic, $"Use LearningRate = {fixedRate}", "TB0105",
                        token => Replace(context.Document, root, argument.Expression, Literal(fixedRate, argument.Expression)));
                    break;
            }
        }
    }

    static void Register(CodeFixContext context, Diagnostic diagnostic, string title, string key, Func<CancellationToken, Task<Document>> fix) =>
        context.RegisterCodeFix(CodeAction.Create(title, fix, equivalenceKey: key), diagnostic);

    static Task<Document> Replace(Document document, SyntaxNode root, SyntaxNode old, SyntaxNode replacement) =>
        Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(old, replacement)));

    static ExpressionSyntax Literal(string text, ExpressionSyntax old) =>
        SyntaxFactory.ParseExpression(text).WithTriviaFrom(old);

    static EnumDeclarationSyntax RemoveValues(EnumDeclarationSyntax declaration) =>
        declaration.WithMembers(SyntaxFactory.SeparatedList(
            declaration.Members.Select(m => m.EqualsValue is null ? m : m.WithEqualsValue(null).WithIdentifier(m.Identifier.WithTrailingTrivia(m.EqualsValue.GetTrailingTrivia()))),
            declaration.Members.GetSeparators()));

    /// <summary>Members with value 0 (None) keep it; the others get 1, 2, 4, ... in declaration order.</summary>
    static EnumDeclarationSyntax PowersOfTwo(EnumDeclarationSyntax declaration)
    {
        int bit = 0;
        var members = declaration.Members.Select(member =>
        {
            if (member.EqualsValue is { } value && ConstantValue(value.Value) is double zero && zero == 0) return member;
            var literal = SyntaxFactory.ParseExpression((1L << bit++).ToString(CultureInfo.InvariantCulture));
            var trailing = member.EqualsValue?.GetTrailingTrivia() ?? member.Identifier.TrailingTrivia;
            return member.WithIdentifier(member.Identifier.WithTrailingTrivia(SyntaxFactory.Space))
                .WithEqualsValue(SyntaxFactory.EqualsValueClause(SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space), literal).WithTrailingTrivia(trailing));
        });
        return declaration.WithMembers(SyntaxFactory.SeparatedList(members, declaration.Members.GetSeparators()));
    }

    /// <summary>A numeric literal, possibly negated, as a double; null for anything else (a constant's name, an expression).</summary>
    static double? ConstantValue(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax { Token.Value: { } value } when value is not string and not char and not bool => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: var operand } => -ConstantValue(operand),
        _ => null,
    };

    /// <summary>
    /// The same digits with the exponent that puts the rate in 1e-5..1e-4, the range TB0105 checks: <c>2e-3</c> becomes
    /// <c>2e-5</c>, <c>3e-7</c> becomes <c>3e-5</c>; a mantissa of 1 can also land on 1e-4, and the shift nearest the
    /// original wins (<c>1e-3</c> becomes <c>1e-4</c>). Null when the rate is not positive.
    /// </summary>
    internal static string? FixExponent(double rate)
    {
        if (!(rate > 0) || double.IsInfinity(rate)) return null;
        int exponent = (int)Math.Floor(Math.Log10(rate));
        double mantissa = Math.Round(rate / Math.Pow(10, exponent), 10);
        if (mantissa >= 10) { mantissa /= 10; exponent++; }
        string digits = mantissa.ToString("G10", CultureInfo.InvariantCulture);
        int target = mantissa == 1 && Math.Abs(exponent + 4) < Math.Abs(exponent + 5) ? -4 : -5;
        return $"{digits}e{target.ToString(CultureInfo.InvariantCulture)}";
    }
}
