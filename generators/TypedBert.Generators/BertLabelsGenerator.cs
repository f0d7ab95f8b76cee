using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedBert.Generators.Emitting;
using TypedBert.Generators.Model;
using TypedBert.Generators.Parsing;

namespace TypedBert.Generators;

/// <summary>
/// Turns <c>[BertLabels]</c> enums into typed label maps, scores, classifiers and <c>Topic.Predict(...)</c>, and checks
/// <c>[BertTrainingConfig]</c> classes at compile time.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BertLabelsGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps (the caching tests look them up).</summary>
    public static class Steps
    {
        /// <summary>Parsed enums.</summary>
        public const string LabelEnums = nameof(LabelEnums);
        /// <summary>Which C# features generated code may use (extension members, module initializers).</summary>
        public const string LanguageFeatures = nameof(LanguageFeatures);
        /// <summary>Parsed training configurations.</summary>
        public const string TrainingConfigs = nameof(TrainingConfigs);
    }

    static void Report(SourceProductionContext output, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.ById[diagnostic.Id], diagnostic.Location?.ToLocation(), [.. diagnostic.Arguments]));
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var enums = context.SyntaxProvider
            .ForAttributeWithMetadataName(LabelEnumParser.BertLabelsAttribute, static (node, _) => node is EnumDeclarationSyntax, LabelEnumParser.Parse)
            .WithTrackingName(Steps.LabelEnums);
        // C# 14 is language version 1400, C# 9 is 900 (preview is larger still); compared as numbers so the check reads the same on every Roslyn.
        var features = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp
                ? new LanguageFeatures((int)csharp.LanguageVersion >= 1400, (int)csharp.LanguageVersion >= 900)
                : default)
            .WithTrackingName(Steps.LanguageFeatures);
        context.RegisterSourceOutput(enums.Combine(features), static (output, pair) =>
        {
            var (result, languageFeatures) = pair;
            Report(output, result.Diagnostics);
            if (result.Spec is LabelEnumSpec spec)
                output.AddSource($"{(spec.Namespace is null ? "" : spec.Namespace + ".")}{spec.EnumName}.TypedBert.g.cs", LabelEnumEmitter.Emit(spec, languageFeatures));
        });

        var configs = context.SyntaxProvider
            .ForAttributeWithMetadataName(TrainingConfigParser.BertTrainingConfigAttribute, static (node, _) => node is ClassDeclarationSyntax, TrainingConfigParser.Parse)
            .WithTrackingName(Steps.TrainingConfigs);
        context.RegisterSourceOutput(configs, static (output, result) =>
        {
            Report(output, result.Diagnostics);
            if (result.Spec is TrainingConfigSpec spec)
                output.AddSource($"{(spec.Namespace is null ? "" : spec.Namespace + ".")}{spec.ClassName}.TypedBertTraining.g.cs", TrainingConfigEmitter.Emit(spec));
        });
    }
}
