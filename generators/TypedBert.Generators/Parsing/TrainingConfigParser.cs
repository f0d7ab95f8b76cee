using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedBert.Classification.LongText;
using TypedBert.Generators.Model;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Generators.Parsing;

/// <summary>Reads and checks a <c>[BertTrainingConfig(typeof(Topic), ...)]</c> class.</summary>
internal static class TrainingConfigParser
{
    public const string BertTrainingConfigAttribute = "TypedBert.BertTrainingConfigAttribute";
    const string DefaultModel = ModelCatalog.DefaultModel;
    const string SearchResultArgument = "SearchResult";

    public static TrainingConfigParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol symbol || context.TargetNode is not ClassDeclarationSyntax declaration)
            return new TrainingConfigParseResult(null, default);
        cancellationToken.ThrowIfCancellationRequested();
        var attribute = context.Attributes[0];
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var diagnostics = new List<DiagnosticInfo>();
        var classLocation = symbol.Locations.FirstOrDefault();

        Location? ArgumentLocation(string name) =>
            (attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.GetLocation()
                ?? attributeSyntax?.GetLocation()) ?? classLocation;
        void Report(DiagnosticDescriptor descriptor, string argument, params string[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, ArgumentLocation(argument), arguments));
        void ReportWithFix(DiagnosticDescriptor descriptor, string argument, string fixValue, params string[] arguments) =>
            diagnostics.Add(new DiagnosticInfo(descriptor.Id, ArgumentLocation(argument), arguments, fixValue));

        if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword) || symbol.ContainingType is not null)
            diagnostics.Add(new DiagnosticInfo(Diagnostics.ConfigNotPartial.Id, classLocation, new[] { symbol.Name }));

        var labelType = attribute.ConstructorArguments.FirstOrDefault().Value as INamedTypeSymbol;
        var labelsAttribute = labelType?.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == LabelEnumParser.BertLabelsAttribute);
        if (labelType is null || labelType.TypeKind != TypeKind.Enum || labelsAttribute is null)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.NotALabelEnum.Id,
                attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation() ?? classLocation,
                new[] { labelType?.ToDisplayString() ?? "(missing)" }));
            return new TrainingConfigParseResult(null, diagnostics.ToEquatableArray());
        }

        T Value<T>(string name, T fallback) =>
            attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is T value ? value : fallback;
        string baseModel = Value<string?>("Model", null)
            ?? labelsAttribute.NamedArguments.FirstOrDefault(a => a.Key == "Model").Value.Value as string ?? DefaultModel;
        // Unset arguments take the attribute's defaults, the table's (0 for the options whose default is unset: none, the model's maximum).
        int IntOf(TrainingOption option) => Value(option.Name, (int)(option.Default ?? 0));
        double RealOf(TrainingOption option) => option.Kind == OptionKind.Switch ? (Value(option.Name, option.Default > 0) ? 1 : 0) : Value(option.Name, option.Default ?? 0);
        double NumberOf(TrainingOption option) => option.Kind == OptionKind.Whole ? IntOf(option) : RealOf(option);
        int epochs = IntOf(TrainingOptionTable.Epochs), maxLength = IntOf(TrainingOptionTable.MaxLength), freezeLayers = IntOf(TrainingOptionTable.FreezeLayers);
        double learningRate = RealOf(TrainingOptionTable.LearningRate);
        bool multiLabel = Value("MultiLabel", false);
        static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        // The fine-tuning arguments against their rows of the table, the ranges TrainingOptions.Validate enforces at run time; the
        // learning rate has its own diagnostic, the maximum length (0: the model's maximum) a model-dependent one below.
        foreach (var option in TrainingOptionTable.FineTuning)
        {
            if (!option.OnAttribute || option.Range is null || option == TrainingOptionTable.LearningRate || option == TrainingOptionTable.MaxLength) continue;
            double value = NumberOf(option);
            if (!option.Accepts(value))
                Report(Diagnostics.CountOutOfRange, option.Name, option.Name, option.Range.Whole ? Int((int)value) : Text(value), option.Range.Text);
        }
        if (!TrainingOptionTable.LearningRate.Accepts(learningRate))
            Report(Diagnostics.LearningRateOutOfRange, "LearningRate", Text(learningRate), TrainingOptionTable.LearningRate.Range!.Text);
        else if (learningRate < 1e-5 || learningRate > 1e-4) Report(Diagnostics.UnusualLearningRate, "LearningRate", Text(learningRate));
        if (epochs > 4) Report(Diagnostics.ManyEpochs, "Epochs", Int(epochs));
        // 0 is the model's maximum; otherwise the trainer needs room for [CLS], one token and [SEP] (LongTextLimits, shared with it).
        var catalogued = ModelCatalog.Find(baseModel);
        bool maxLengthFits = maxLength == 0 || maxLength >= LongTextLimits.MinimumSequence;
        if (!maxLengthFits)
            Report(Diagnostics.CountOutOfRange, "MaxLength", "MaxLength", Int(maxLength), "0 (the model's maximum) or "
                + (catalogued is { } model ? $"{Int(LongTextLimits.MinimumSequence)} to {Int(model.MaxPositions)}" : $"at least {Int(LongTextLimits.MinimumSequence)}")
                + " tokens ([CLS] and [SEP] included)");
        if (catalogued is { } known)
        {
            if (maxLength > known.MaxPositions) ReportWithFix(Diagnostics.MaxLengthTooLarge, "MaxLength", Int(known.MaxPositions), Int(maxLength), Int(known.MaxPositions), baseModel);
            if (freezeLayers > known.Layers) ReportWithFix(Diagnostics.TooManyFrozenLayers, "FreezeLayers", Int(known.Layers), Int(freezeLayers), Int(known.Layers), baseModel);
        }
        // Few-shot settings: TrainingMethod.SetFit is the enum's second member; defaults and ranges are the table's, as FewShotOptions checks them.
        bool fewShot = Value("Method", 0) == (int)TrainingMethod.SetFit;
        int pairIterations = IntOf(TrainingOptionTable.PairIterations), headSteps = IntOf(TrainingOptionTable.HeadSteps);
        double bodyLearningRate = RealOf(TrainingOptionTable.BodyLearningRate);
        foreach (var (option, value) in new[] { (TrainingOptionTable.PairIterations, (double)pairIterations), (TrainingOptionTable.HeadSteps, headSteps),
            (TrainingOptionTable.BodyLearningRate, bodyLearningRate) })
            if (!option.Accepts(value))
                Report(Diagnostics.FewShotSettingOutOfRange, option.Name, option.Name, option.Range!.Whole ? Int((int)value) : Text(value), option.Range.Text);
        if (!fewShot)
            foreach (var name in new[] { "PairIterations", "HeadSteps", "BodyLearningRate" })
                if (attribute.NamedArguments.Any(a => a.Key == name)) Report(Diagnostics.FewShotSettingIgnored, name, name);

        var longText = LongTextConfigParser.Parse(attribute, baseModel, catalogued, maxLengthFits ? maxLength : 0, fewShot,
            (descriptor, argument, fixValue, arguments) => diagnostics.Add(new DiagnosticInfo(descriptor.Id, ArgumentLocation(argument), arguments, fixValue)));

        bool isFlags = labelType.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");
        if (multiLabel && !isFlags) Report(Diagnostics.MultiLabelWithoutFlags, "MultiLabel", labelType.Name);

        // A search result is read in a later step, against the AdditionalFiles; few-shot training reads none of its options.
        SearchResultUse? search = null;
        if (Value<string?>(SearchResultArgument, null) is { } searchPath && !string.IsNullOrWhiteSpace(searchPath))
        {
            if (fewShot) Report(Diagnostics.SearchResultWithFewShot, SearchResultArgument);
            else search = new SearchResultUse(searchPath, ArgumentLocation(SearchResultArgument), symbol.Name, labelType.Name, isFlags,
                LabelEnumParser.Labels(labelType, isFlags).ToEquatableArray(), baseModel,
                SearchResultResolver.Overridable.Where(name => attribute.NamedArguments.Any(a => a.Key == name)).ToEquatableArray());
        }

        bool hasErrors = diagnostics.Any(d => Diagnostics.ById[d.Id].DefaultSeverity == DiagnosticSeverity.Error);
        var spec = hasErrors ? null : new TrainingConfigSpec(
            symbol.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            symbol.Name, symbol.DeclaredAccessibility == Accessibility.Public,
            labelType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), labelType.Name, baseModel,
            Options(),
            fewShot ? new FewShotSpec(pairIterations, bodyLearningRate, headSteps) : null, longText);
        // The rows the generated Options set: the attribute's arguments (0 of an option unset by default is "none"), then those only a
        // search result sets, at their defaults until one does.
        EquatableArray<OptionValue> Options() => TrainingOptionTable.FineTuning
            .Where(o => o.OnAttribute || o.JsonKey is not null)
            .Select(o => new OptionValue(o.Name, !o.OnAttribute ? o.Default : o.Default is null && NumberOf(o) == 0 ? null : NumberOf(o)))
            .ToEquatableArray();
        return new TrainingConfigParseResult(spec, diagnostics.ToEquatableArray(), search);
    }
}
