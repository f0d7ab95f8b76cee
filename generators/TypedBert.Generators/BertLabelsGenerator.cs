using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedBert.Generators.Emitting;
using TypedBert.Generators.Model;
using TypedBert.Generators.Parsing;

namespace TypedBert.Generators;

/// <summary>
/// Turns <c>[BertLabels]</c> enums into typed labels, scores, classifiers and <c>Topic.Predict(...)</c>, and checks
/// <c>[BertTrainingConfig]</c> classes at compile time.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class BertLabelsGenerator : IIncrementalGenerator
{
    /// <summary>Names of the tracked pipeline steps (the caching tests look them up).</summary>
    public static class Steps
    {
        /// <summary>Parsed enums: spec, diagnostics and file checks together.</summary>
        public const string LabelEnums = nameof(LabelEnums);
        /// <summary>The emitter's input: specs only, without locations, so that moving lines does not re-emit.</summary>
        public const string LabelEnumSpecs = nameof(LabelEnumSpecs);
        /// <summary>The enums' own diagnostics, with real source locations.</summary>
        public const string LabelEnumDiagnostics = nameof(LabelEnumDiagnostics);
        /// <summary>The training files and model folders that <c>[BertLabels]</c> attributes name.</summary>
        public const string FileRequests = nameof(FileRequests);
        /// <summary>MSBuild's ProjectDir, against which the attribute's relative paths resolve.</summary>
        public const string ProjectDirectory = nameof(ProjectDirectory);
        /// <summary>Training files and config.json files read (one pass per file, cached on the file).</summary>
        public const string FileScans = nameof(FileScans);
        /// <summary>Which C# features generated code may use (extension members, module initializers).</summary>
        public const string LanguageFeatures = nameof(LanguageFeatures);
        /// <summary>Parsed training configurations.</summary>
        public const string TrainingConfigs = nameof(TrainingConfigs);
        /// <summary>The search results that <c>[BertTrainingConfig(SearchResult = ...)]</c> attributes name.</summary>
        public const string SearchResultRequests = nameof(SearchResultRequests);
        /// <summary>Search results read (one pass per file, cached on the file).</summary>
        public const string SearchResultScans = nameof(SearchResultScans);
        /// <summary>Training configurations joined with their search results: the file's values in the spec, its diagnostics.</summary>
        public const string ResolvedTrainingConfigs = nameof(ResolvedTrainingConfigs);
        /// <summary>The training configurations' specs, without locations.</summary>
        public const string TrainingConfigSpecs = nameof(TrainingConfigSpecs);
        /// <summary>The training configurations' diagnostics, with real source locations.</summary>
        public const string TrainingConfigDiagnostics = nameof(TrainingConfigDiagnostics);

        /// <summary>Steps whose outputs keep a syntax tree (through real locations); every other step holds plain data only.</summary>
        public static readonly string[] WithLocations = [LabelEnums, LabelEnumDiagnostics, TrainingConfigs, ResolvedTrainingConfigs, TrainingConfigDiagnostics];
    }

    static void Report(SourceProductionContext output, IEnumerable<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
            output.ReportDiagnostic(Diagnostic.Create(Diagnostics.ById[diagnostic.Id], diagnostic.Location,
                diagnostic.FixValue is null ? null : ImmutableDictionary<string, string?>.Empty.Add(FixValueProperty, diagnostic.FixValue),
                [.. diagnostic.Arguments]));
    }

    /// <summary>Property of a diagnostic that carries the value its code fix writes (TypedBert.CodeFixes reads it by this name).</summary>
    internal const string FixValueProperty = "TypedBert.FixValue";

    /// <summary>One AdditionalFiles item read for the checks: a training file, a model's config.json, or neither (null).</summary>
    internal sealed record FileScan(EquatableArray<DataFileScan> Data, ModelConfigScan? Model);

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(LabelEnumParser.BertLabelsAttribute, static (node, _) => node is EnumDeclarationSyntax, LabelEnumParser.Parse)
            .WithTrackingName(Steps.LabelEnums);
        // Split as System.Text.Json's generator does since dotnet/runtime#124994: the emitter sees only the spec, which has no
        // locations, so an edit that moves the enum's lines re-runs the (cheap) diagnostics step and not the emitter.
        var enums = parsed.Select(static (result, _) => result.Spec).WithTrackingName(Steps.LabelEnumSpecs);
        var enumDiagnostics = parsed.Select(static (result, _) => result.Diagnostics).WithTrackingName(Steps.LabelEnumDiagnostics);
        // C# 14 is language version 1400, C# 9 is 900 (preview is larger still); compared as numbers so the check reads the same on every Roslyn.
        var features = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions csharp
                ? new LanguageFeatures((int)csharp.LanguageVersion >= 1400, (int)csharp.LanguageVersion >= 900)
                : default)
            .WithTrackingName(Steps.LanguageFeatures);
        context.RegisterSourceOutput(enumDiagnostics, static (output, diagnostics) => Report(output, diagnostics));
        context.RegisterSourceOutput(enums.Combine(features), static (output, pair) =>
        {
            if (pair.Left is LabelEnumSpec spec)
                output.AddSource($"{(spec.Namespace is null ? "" : spec.Namespace + ".")}{spec.EnumName}.TypedBert.g.cs", LabelEnumEmitter.Emit(spec, pair.Right));
        });

        // Files named on [BertLabels]: which ones (paths and columns only, so unrelated edits leave this step unchanged), then
        // each AdditionalFiles item read once, and only when some attribute names it. The reading is cached on the item,
        // which Roslyn replaces only when the file changes; the checks afterwards compare a few counts and labels.
        var requests = parsed
            .Select(static (result, _) => result.Checks is { } checks ? new FileRequest(checks.Data, checks.ModelPath) : null)
            .Where(static request => request is not null)
            .Collect()
            .Select(static (requests, _) => requests.Select(r => r!).Distinct().ToEquatableArray())
            .WithTrackingName(Steps.FileRequests);
        var projectDirectory = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.projectdir", out var folder) && !string.IsNullOrEmpty(folder) ? folder : null)
            .WithTrackingName(Steps.ProjectDirectory);
        var scans = context.AdditionalTextsProvider
            .Combine(requests.Combine(projectDirectory))
            .Select(static (pair, cancellationToken) => Scan(pair.Left, pair.Right.Left, pair.Right.Right, cancellationToken))
            .WithTrackingName(Steps.FileScans)
            .Where(static scan => scan is not null)
            .Collect();
        var checks = parsed.Select(static (result, _) => result.Checks).Where(static checks => checks is not null);
        context.RegisterSourceOutput(checks.Combine(scans), static (output, pair) =>
        {
            var (checks, scans) = pair;
            Report(output, FileChecker.CheckData(checks!, scans.SelectMany(s => s!.Data)));
            Report(output, FileChecker.CheckModel(checks!, scans.Select(s => s!.Model).Where(s => s is not null).Select(s => s!)));
        });

        var parsedConfigs = context.SyntaxProvider
            .ForAttributeWithMetadataName(TrainingConfigParser.BertTrainingConfigAttribute, static (node, _) => node is ClassDeclarationSyntax, TrainingConfigParser.Parse)
            .WithTrackingName(Steps.TrainingConfigs);
        // Search results named on [BertTrainingConfig], read as the files named on [BertLabels] are: the paths only (so that unrelated
        // edits leave the step unchanged), then each AdditionalFiles item read once when some attribute names it. The file's values
        // are part of the spec, so a changed best.json gives a new spec and new code, and any other changed file gives neither.
        var searchRequests = parsedConfigs
            .Select(static (result, _) => result.Search?.Path)
            .Where(static path => path is not null)
            .Collect()
            .Select(static (paths, _) => paths.Select(p => p!).Distinct().ToEquatableArray())
            .WithTrackingName(Steps.SearchResultRequests);
        var searchScans = context.AdditionalTextsProvider
            .Combine(searchRequests.Combine(projectDirectory))
            .Select(static (pair, cancellationToken) => ScanSearchResult(pair.Left, pair.Right.Left, pair.Right.Right, cancellationToken))
            .WithTrackingName(Steps.SearchResultScans)
            .Collect();
        var configs = parsedConfigs
            .Combine(searchScans)
            .Select(static (pair, _) => SearchResultResolver.Resolve(pair.Left, pair.Right.SelectMany(scans => scans)))
            .WithTrackingName(Steps.ResolvedTrainingConfigs);
        context.RegisterSourceOutput(configs.Select(static (result, _) => result.Diagnostics).WithTrackingName(Steps.TrainingConfigDiagnostics),
            static (output, diagnostics) => Report(output, diagnostics));
        context.RegisterSourceOutput(configs.Select(static (result, _) => result.Spec).WithTrackingName(Steps.TrainingConfigSpecs), static (output, result) =>
        {
            if (result is TrainingConfigSpec spec)
                output.AddSource($"{(spec.Namespace is null ? "" : spec.Namespace + ".")}{spec.ClassName}.TypedBertTraining.g.cs", TrainingConfigEmitter.Emit(spec));
        });
    }

    /// <summary>The search results <paramref name="file"/> is (one per path that names it; none for any other file).</summary>
    static EquatableArray<SearchResultScan> ScanSearchResult(AdditionalText file, EquatableArray<string> requests, string? projectDirectory, System.Threading.CancellationToken cancellationToken)
    {
        List<SearchResultScan>? scans = null;
        foreach (var path in requests)
            if (FileScanner.Matches(file.Path, path, projectDirectory))
                (scans ??= []).Add(SearchResultReader.Read(path, file.Path, file.GetText(cancellationToken)));
        return scans?.ToEquatableArray() ?? default;
    }

    /// <summary>A file one <c>[BertLabels]</c> attribute names: its training data, its model folder, or both.</summary>
    internal sealed record FileRequest(DataRequest? Data, string? ModelPath);

    static FileScan? Scan(AdditionalText file, EquatableArray<FileRequest> requests, string? projectDirectory, System.Threading.CancellationToken cancellationToken)
    {
        // Two enums may read the same file with different columns: one scan per distinct request.
        var data = new List<DataFileScan>();
        ModelConfigScan? model = null;
        foreach (var request in requests)
        {
            if (request.Data is { } dataRequest && !data.Any(d => d.Request == dataRequest) && FileScanner.Matches(file.Path, dataRequest.Path, projectDirectory))
                data.Add(FileScanner.ScanData(dataRequest, file.Path, file.GetText(cancellationToken), cancellationToken));
            if (model is null && request.ModelPath is { } modelPath && FileScanner.Matches(file.Path, modelPath.TrimEnd('/', '\\') + "/config.json", projectDirectory))
                model = FileScanner.ScanConfig(modelPath, file.Path, file.GetText(cancellationToken));
        }
        return data.Count == 0 && model is null ? null : new FileScan(data.ToEquatableArray(), model);
    }
}
