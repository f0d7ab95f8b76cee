using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedBert.Classification.LongText;
using TypedBert.Generators.Model;
using TypedBert.Pretrained;
using TypedBert.Training;
using F = TypedBert.Search.BestConfigurationFormat;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// Joins a <c>[BertTrainingConfig(SearchResult = ...)]</c> with what <see cref="SearchResultReader"/> read from the file: checks that the
/// file is there and readable (TB0401, TB0402), that the values the configuration takes from it are in the ranges the trainer accepts
/// (TB0403), that it was found for this base model and these labels (TB0404, TB0405), and fills the spec with its values wherever the
/// attribute does not write the option itself, as <c>typedbert train --config</c> does with the options not on the command line.
/// </summary>
internal static class SearchResultResolver
{
    /// <summary>The attribute's arguments that a search result also holds; one written on the attribute wins over the file.</summary>
    public static readonly string[] Overridable = TrainingOptionTable.OnAttribute.Select(o => o.Name).ToArray();

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The <c>best.json</c> property of a row that a search writes.</summary>
    static string Key(TrainingOption row) => row.JsonKey ?? throw new InvalidOperationException($"{row.Name} is not written to best.json");

    public static TrainingConfigParseResult Resolve(TrainingConfigParseResult parsed, IEnumerable<SearchResultScan> scans)
    {
        if (parsed.Search is not { } use) return parsed;
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        TrainingConfigParseResult Done(TrainingConfigSpec? spec) => parsed with { Spec = spec, Diagnostics = diagnostics.ToEquatableArray() };

        var scan = scans.FirstOrDefault(s => s.Path == use.Path);
        if (scan is null)
        {
            string folder = FileScanner.Normalize(use.Path) is var normalized && normalized.LastIndexOf('/') is int slash and > 0 ? normalized.Substring(0, slash) : ".";
            diagnostics.Add(new DiagnosticInfo(Diagnostics.SearchResultMissing.Id, use.PathLocation, new[] { use.Path, use.ClassName, folder }));
            return Done(null);
        }
        if (scan.Error is { } reason || scan.Values is not { } values)
        {
            diagnostics.Add(new DiagnosticInfo(Diagnostics.SearchResultUnreadable.Id, FileChecker.At(scan.FilePath, scan.ErrorAt), new[] { use.Path, scan.Error ?? "" }));
            return Done(null);
        }
        Location At(string field) => FileChecker.At(scan.FilePath, scan.PositionOf(field));
        bool Written(string option) => use.Written.Contains(option);

        if (!SameModel(values.Model, use.BaseModel))
            diagnostics.Add(new DiagnosticInfo(Diagnostics.SearchForAnotherModel.Id, At(F.Model), new[] { use.Path, values.Model, use.ClassName, use.BaseModel }));
        if (values.Labels is { } labels && LabelDifferences(use, labels) is { Count: > 0 } differences)
            diagnostics.Add(new DiagnosticInfo(Diagnostics.SearchForOtherLabels.Id, At(F.Labels), new[] { use.Path, use.EnumName, string.Join("; ", differences) }));

        var fileEpochs = (int)values.ValueOf(TrainingOptionTable.Epochs)!.Value;
        int epochs = Written(TrainingOptionTable.Epochs.Name) && parsed.Spec is { } written ? written.Whole(TrainingOptionTable.Epochs) : fileEpochs;
        int? maxLength = Written(TrainingOptionTable.MaxLength.Name) ? null : (int?)values.ValueOf(TrainingOptionTable.MaxLength);
        foreach (var (field, value, range, option) in OutOfRange(values, use, parsed.Spec, epochs, maxLength, Written))
            diagnostics.Add(new DiagnosticInfo(Diagnostics.SearchValueOutOfRange.Id, At(field), new[] { field, value, use.Path, Int(values.Trial), range, option }));

        bool hasErrors = diagnostics.Any(d => Diagnostics.ById[d.Id].DefaultSeverity == DiagnosticSeverity.Error);
        return Done(hasErrors || parsed.Spec is not { } spec ? null : Merge(spec, values, use, Written));
    }

    /// <summary>Model names compare ignoring case (as the catalogue does), folders also ignoring the slash's direction and a trailing one.</summary>
    static bool SameModel(string a, string b)
    {
        static string Key(string model) => FileScanner.Normalize(model.Trim()).TrimEnd('/');
        return string.Equals(Key(a), Key(b), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The search's labels that name no member (as the generated parser reads a label: label or member name ignoring case, or an id) and
    /// the members no search label names. The order does not matter: the hyperparameters do not depend on which id a label has.
    /// </summary>
    static List<string> LabelDifferences(SearchResultUse use, EquatableArray<string> labels)
    {
        var differences = new List<string>();
        var named = new HashSet<int>();
        foreach (var label in labels)
        {
            int id = FileChecker.Find(use.Labels, label.Trim());
            if (id < 0) differences.Add($"\"{label}\" is a label of the search but not of {use.EnumName}");
            else named.Add(id);
        }
        for (int id = 0; id < use.Labels.Count; id++)
            if (!named.Contains(id)) differences.Add($"\"{use.Labels[id].Label}\" is a label of {use.EnumName} but not of the search");
        return differences;
    }

    /// <summary>
    /// The values the configuration takes from the file that the trainer would refuse, with the range it accepts and the attribute argument
    /// that would override each: the ranges of the attribute's own checks (TB0101, TB0103, TB0104) and of TrainingOptions.Validate.
    /// </summary>
    static IEnumerable<(string Field, string Value, string Range, string Option)> OutOfRange(SearchResultValues values, SearchResultUse use,
        TrainingConfigSpec? spec, int epochs, int? maxLength, Func<string, bool> written)
    {
        // Every searched option the trainer range-checks, against its row of the table (the runtime's own check), unless the attribute
        // writes it; the maximum length and the averaged epochs depend on the model and the epochs, below.
        foreach (var option in TrainingOptionTable.Searched)
        {
            if (option == TrainingOptionTable.MaxLength || option == TrainingOptionTable.AverageLastEpochs || written(option.Name)) continue;
            if (values.ValueOf(option) is double value && !option.Accepts(value))
                yield return (option.JsonKey!, option.Range!.Whole ? Int((int)value) : Real(value), option.Range.Text,
                    option.OnAttribute ? option.Name : $"nothing (the attribute has no {option.Name})");
        }
        var model = ModelCatalog.Find(use.BaseModel);
        if (maxLength is int length)
        {
            string range = model is { } known ? $"{Int(LongTextLimits.MinimumSequence)} to {Int(known.MaxPositions)} tokens, the positions of base model '{use.BaseModel}'"
                : $"at least {Int(LongTextLimits.MinimumSequence)} tokens";
            if (length < LongTextLimits.MinimumSequence || (model is { } m && length > m.MaxPositions))
                yield return (Key(TrainingOptionTable.MaxLength), Int(length), range, "MaxLength");
            else if (model is { } limits && spec?.LongText is { Window: null } longText)
            {
                // The long-text window defaults to MaxLength: the stride and the head the attribute writes must fit the file's.
                int window = LongTextLimits.DefaultWindow(length, limits.MaxPositions);
                if (longText.Stride is int stride && !LongTextLimits.StrideFits(stride, window))
                    yield return (Key(TrainingOptionTable.MaxLength), Int(length), $"{Int(stride + LongTextLimits.SpecialTokens)} to {Int(limits.MaxPositions)} tokens, the window that Stride = {Int(stride)} needs", "MaxLength (or Window)");
                if (longText.HeadTokens is int head && !LongTextLimits.HeadFits(head, window))
                    yield return (Key(TrainingOptionTable.MaxLength), Int(length), $"{Int(head + LongTextLimits.SpecialTokens)} to {Int(limits.MaxPositions)} tokens, the window that HeadTokens = {Int(head)} needs", "MaxLength (or Window)");
            }
        }
        double smoothing = values.ValueOf(TrainingOptionTable.LabelSmoothingFactor) ?? 0;
        if (use.IsFlags && smoothing > 0 && TrainingOptionTable.LabelSmoothingFactor.Accepts(smoothing))
            yield return (Key(TrainingOptionTable.LabelSmoothingFactor), Real(smoothing), $"0, the only value for [Flags] enum '{use.EnumName}' (label smoothing applies to single-label training; search with --label-smoothing 0)", "nothing (the attribute has no label smoothing)");
        int? averageLastEpochs = (int?)values.ValueOf(TrainingOptionTable.AverageLastEpochs);
        if (averageLastEpochs is int averaged && (!TrainingOptionTable.AverageLastEpochs.Accepts(averaged) || averaged > epochs))
            yield return (Key(TrainingOptionTable.AverageLastEpochs), Int(averaged), $"2 to the {Int(epochs)} epochs", averaged > epochs ? "Epochs" : "nothing (the attribute has no weight averaging)");
        if (values.ValueOf(TrainingOptionTable.EmaDecay) is not null && averageLastEpochs is int both)
            yield return (Key(TrainingOptionTable.AverageLastEpochs), Int(both), $"null when {Key(TrainingOptionTable.EmaDecay)} is set (two ways of averaging the weights; choose one)", "nothing (the attribute has no weight averaging)");
    }

    /// <summary><paramref name="spec"/> with the file's value for every option the attribute does not write, and where they came from.</summary>
    static TrainingConfigSpec Merge(TrainingConfigSpec spec, SearchResultValues values, SearchResultUse use, Func<string, bool> written)
    {
        // The rule of train --config (OptionPrecedence): explicit (an argument written on the attribute) > searched (the file) > default.
        var overrides = new List<SearchOverride>();
        var options = new List<OptionValue>();
        foreach (var value in spec.Options)
        {
            var option = TrainingOptionTable.All.First(o => o.Name == value.Name);
            if (option.JsonKey is null) { options.Add(value); continue; }
            double? file = values.ValueOf(option);
            if (written(option.Name))
                overrides.Add(new SearchOverride(option.Name, file is double number ? (option.Kind == OptionKind.Whole ? Int((int)number) : Real(number)) : "none"));
            options.Add(value with { Value = OptionPrecedence.Pick(written(option.Name), value.Value, file is not null || !option.OnAttribute, file) });
        }
        var merged = spec with { Options = options.ToEquatableArray(), Pooling = values.Pooling };
        return merged with
        {
            Search = new SearchResultSpec(use.Path, values.Trial, values.Metric, values.Value, values.BestEpoch, values.EvaluatedOn, overrides.ToEquatableArray()),
        };
    }
}
