using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Generators.Model;
using TypedBert.Pretrained;

namespace TypedBert.Generators.Parsing;

/// <summary>
/// Reads and checks the long-text settings of a <c>[BertTrainingConfig]</c> (<c>LongText</c>, <c>Window</c>, <c>Stride</c>,
/// <c>HeadTokens</c>, <c>Aggregation</c>, <c>MaxWindowsPerDocument</c>) as <c>LongTextSettings.Resolve</c> would for the trainer:
/// the same ranges (<see cref="LongTextLimits"/>) against the base model's positions when the catalogue knows the model.
/// </summary>
internal static class LongTextConfigParser
{
    /// <summary>Reports a diagnostic at a named argument: descriptor, argument name, value a code fix writes (or null), message arguments.</summary>
    public delegate void Reporter(DiagnosticDescriptor descriptor, string argument, string? fixValue, params string[] arguments);

    const string StrategyArgument = "LongText", WindowArgument = "Window", StrideArgument = "Stride", HeadArgument = "HeadTokens",
        AggregationArgument = "Aggregation", CapArgument = "MaxWindowsPerDocument";

    static readonly string[] Arguments = [StrategyArgument, WindowArgument, StrideArgument, HeadArgument, AggregationArgument, CapArgument];

    /// <summary>
    /// The settings written on <paramref name="attribute"/>, or null when it writes none. Values the trainer would refuse are errors;
    /// settings that this configuration's strategy or training method never reads are warnings.
    /// </summary>
    /// <param name="maxLength">The attribute's MaxLength (0: the model's maximum), the window when none is written.</param>
    /// <param name="model">The base model's limits; null for a model outside the catalogue, whose positions are known only at run time.</param>
    public static LongTextSpec? Parse(AttributeData attribute, string baseModel, ModelCatalog.KnownModel? model, int maxLength, bool fewShot, Reporter report)
    {
        bool Written(string name) => attribute.NamedArguments.Any(a => a.Key == name);
        // The attribute cannot hold null: a number that is not written is not set, as a null in LongTextOptions.
        int? Number(string name) => attribute.NamedArguments.FirstOrDefault(a => a.Key == name).Value.Value is int value ? value : null;
        if (!Arguments.Any(Written)) return null;

        var strategy = (LongTextStrategy)(Number(StrategyArgument) ?? (int)LongTextStrategy.Truncate);
        var aggregation = (WindowAggregation)(Number(AggregationArgument) ?? (int)WindowAggregation.Mean);
        int? window = Number(WindowArgument), stride = Number(StrideArgument), head = Number(HeadArgument), cap = Number(CapArgument);
        int? positions = model?.MaxPositions;

        if (!Enum.IsDefined(typeof(LongTextStrategy), strategy))
            report(Diagnostics.LongTextSettingOutOfRange, StrategyArgument, null, StrategyArgument, Int((int)strategy),
                $"the members of LongTextStrategy ({string.Join(", ", Enum.GetNames(typeof(LongTextStrategy)))})", "truncation");
        if (!Enum.IsDefined(typeof(WindowAggregation), aggregation))
            report(Diagnostics.LongTextSettingOutOfRange, AggregationArgument, null, AggregationArgument, Int((int)aggregation),
                $"the members of WindowAggregation ({string.Join(", ", Enum.GetNames(typeof(WindowAggregation)))})", "the mean of the logits");

        // The window the trainer reads with: the one written, else MaxLength capped at the positions. Unknown (null) when the model
        // is not in the catalogue and no window is written, and after a window already reported, so that one mistake is one error.
        int? readWindow = null;
        if (window is int written)
        {
            if (written < LongTextLimits.MinimumWindow)
                report(Diagnostics.LongTextSettingOutOfRange, WindowArgument, null, WindowArgument, Int(written),
                    positions is int limit ? $"{Int(LongTextLimits.MinimumWindow)}..{Int(limit)}" : $"{Int(LongTextLimits.MinimumWindow)} to the model's positions",
                    "MaxLength tokens at a time");
            else if (positions is int limit && !LongTextLimits.WindowFits(written, limit))
                report(Diagnostics.LongTextWindowTooLarge, WindowArgument, Int(limit), Int(written), Int(limit), baseModel, Int(LongTextLimits.MinimumWindow));
            else readWindow = written;
        }
        else if (positions is int limit)
        {
            readWindow = LongTextLimits.DefaultWindow(maxLength > 0 ? maxLength : limit, limit);
        }

        if (stride is int s && (readWindow is int w ? !LongTextLimits.StrideFits(s, w) : s < LongTextLimits.MinimumStride))
            report(Diagnostics.StrideOutOfRange, StrideArgument, null, Int(s), Range(LongTextLimits.MinimumStride, readWindow), Described(readWindow));
        if (head is int h && (readWindow is int hw ? !LongTextLimits.HeadFits(h, hw) : h < LongTextLimits.MinimumHead))
            report(Diagnostics.HeadTokensOutOfRange, HeadArgument, null, Int(h), Range(LongTextLimits.MinimumHead, readWindow), Described(readWindow));
        if (cap is int c && !LongTextLimits.WindowsPerDocumentFits(c))
            report(Diagnostics.LongTextSettingOutOfRange, CapArgument, null, CapArgument, Int(c), $"{Int(LongTextLimits.MinimumWindowsPerDocument)} and up", "every window");

        ReportIgnored(strategy, fewShot, Written, report);
        return new LongTextSpec(strategy, window, stride, head, aggregation, cap);
    }

    /// <summary>
    /// Warns about settings nothing reads: few-shot training truncates to MaxLength whatever the strategy; otherwise the stride,
    /// the aggregation and the cap are read by the sliding window only and the head by head+tail only (see LongTextEncoder).
    /// </summary>
    static void ReportIgnored(LongTextStrategy strategy, bool fewShot, Func<string, bool> written, Reporter report)
    {
        if (fewShot)
        {
            foreach (var name in Arguments.Where(written))
                report(Diagnostics.LongTextSettingIgnored, name, null, name, "by few-shot training, which reads the first MaxLength tokens of each text",
                    $"remove {name}, or fine-tune (Method = TrainingMethod.FineTune) to train on long texts");
            return;
        }
        string current = $"with LongText = LongTextStrategy.{strategy}";
        if (strategy != LongTextStrategy.SlidingWindow)
            foreach (var name in new[] { StrideArgument, AggregationArgument, CapArgument }.Where(written))
                report(Diagnostics.LongTextSettingIgnored, name, null, name, $"{current} (only the sliding window reads it)",
                    $"set LongText = LongTextStrategy.SlidingWindow, or remove {name}");
        if (strategy != LongTextStrategy.HeadTail && written(HeadArgument))
            report(Diagnostics.LongTextSettingIgnored, HeadArgument, null, HeadArgument, $"{current} (only head+tail reads it)",
                $"set LongText = LongTextStrategy.HeadTail, or remove {HeadArgument}");
    }

    /// <summary>"1..254" for a 256-token window; "1..Window - 2" when the window is known only at run time.</summary>
    static string Range(int minimum, int? window) =>
        window is int w ? $"{Int(minimum)}..{Int(LongTextLimits.Content(w))}" : $"{Int(minimum)}..Window - {Int(LongTextLimits.SpecialTokens)}";

    static string Described(int? window) => window is int w ? $"a {Int(w)}-token window" : "the window";

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
