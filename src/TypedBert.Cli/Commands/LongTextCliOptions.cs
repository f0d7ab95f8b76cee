using System.CommandLine;
using System.CommandLine.Parsing;
using TypedBert.Classification;
using TypedBert.Classification.LongText;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>--long-text truncate|head-tail|window</c>, <c>--window</c>, <c>--stride</c>, <c>--head-tokens</c>, <c>--aggregation</c> (and, for training,
/// <c>--max-windows-per-document</c>), shared by train, eval, predict and serve. Names are checked while parsing; numbers against the model
/// once it is loaded (<see cref="Check"/>), both before any work, with the allowed values in the message.
/// </summary>
internal sealed class LongTextCliOptions
{
    public Option<LongTextStrategy?> Strategy { get; } = new("--long-text")
    {
        Description = "How to read texts longer than the model's window: truncate (the start), head-tail (first --head-tokens and the last tokens), "
            + "window (every window; aggregated per text). Default: what the model was trained with",
        CustomParser = result => LongTextNames.TryParseStrategy(Token(result), out var strategy) ? strategy
            : Error(result, $"--long-text {Token(result)}: expected one of {string.Join(", ", LongTextNames.StrategyNames)}"),
    };

    public Option<int?> Window { get; } = new("--window") { Description = "Tokens per window (or head+tail input), special tokens included; default: the maximum length" };
    public Option<int?> Stride { get; } = new("--stride") { Description = "Tokens between window starts; at most the window minus 2; default: half of that" };
    public Option<int?> HeadTokens { get; } = new("--head-tokens") { Description = "head-tail: tokens from the start; the end fills the rest of the window" };

    public Option<WindowAggregation?> Aggregation { get; } = new("--aggregation")
    {
        Description = "How windows' logits become one: mean, max (multi-label: any window shows it) or mean-prob (mean of probabilities)",
        CustomParser = result => LongTextNames.TryParseAggregation(Token(result), out var aggregation) ? aggregation
            : ErrorAggregation(result, $"--aggregation {Token(result)}: expected one of {string.Join(", ", LongTextNames.AggregationNames)}"),
    };

    public Option<int?> MaxWindowsPerDocument { get; } = new("--max-windows-per-document")
    {
        Description = "window training: at most this many windows of one text per epoch, drawn afresh each epoch (default: all)",
    };

    readonly bool training;

    public LongTextCliOptions(bool training = false) => this.training = training;

    public void AddTo(Command command)
    {
        command.Options.Add(Strategy);
        command.Options.Add(Window);
        command.Options.Add(Stride);
        command.Options.Add(HeadTokens);
        command.Options.Add(Aggregation);
        if (training) command.Options.Add(MaxWindowsPerDocument);
    }

    /// <summary>
    /// <paramref name="baseline"/> (the model's saved strategy) with the options given on the command line laid over it; null when none was
    /// given, so that the model keeps its own.
    /// </summary>
    public LongTextOptions? Apply(ParseResult result, LongTextOptions baseline, bool slidingWindowFlag = false)
    {
        var strategy = result.GetValue(Strategy) ?? (slidingWindowFlag ? LongTextStrategy.SlidingWindow : null);
        int? window = result.GetValue(Window), stride = result.GetValue(Stride), head = result.GetValue(HeadTokens);
        var aggregation = result.GetValue(Aggregation);
        int? cap = training ? result.GetValue(MaxWindowsPerDocument) : null;
        if (strategy is null && window is null && stride is null && head is null && aggregation is null && cap is null) return null;
        return baseline with
        {
            Strategy = strategy ?? baseline.Strategy,
            WindowTokens = window ?? baseline.WindowTokens,
            Stride = stride ?? baseline.Stride,
            HeadTokens = head ?? baseline.HeadTokens,
            Aggregation = aggregation ?? baseline.Aggregation,
            MaxWindowsPerDocument = cap ?? baseline.MaxWindowsPerDocument,
        };
    }

    /// <summary>
    /// The first option given on the command line that asks for more than the start of each text (<c>--long-text window|head-tail</c>, a
    /// window, stride, head, aggregation or cap), named as on the command line; null when there is none. <c>--long-text truncate</c> is not one:
    /// it is what a reader that ignores the others does.
    /// </summary>
    public string? FirstBeyondTruncation(ParseResult result)
    {
        if (result.GetValue(Strategy) is { } strategy && strategy != LongTextStrategy.Truncate) return $"{Strategy.Name} {LongTextNames.Name(strategy)}";
        foreach (var option in new Option[] { Window, Stride, HeadTokens, Aggregation, MaxWindowsPerDocument })
            if ((training || option != MaxWindowsPerDocument) && result.GetResult(option) is { Implicit: false })
                return option.Name;
        return null;
    }

    /// <summary>Resolves the classifier's long-text settings; on a value out of range writes the reason (no stack trace) and returns false.</summary>
    public static bool Check(TextClassifier classifier, int? maxLength = null)
    {
        try
        {
            classifier.LongTextSettingsFor(maxLength);
            return true;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return false;
        }
    }

    static string Token(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";

    static LongTextStrategy? Error(ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    static WindowAggregation? ErrorAggregation(ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }
}
