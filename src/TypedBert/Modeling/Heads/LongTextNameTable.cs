using TypedBert.Classification;

namespace TypedBert.Modeling.Heads;

/// <summary>
/// The spelling of strategies and aggregations in <c>config.json</c> (<c>typedbert_long_text</c>, <c>typedbert_aggregation</c>) and on the
/// command line (<c>--long-text</c>, <c>--aggregation</c>): one table so that a saved model and a command read the same words. Public
/// as <see cref="Classification.LongText.LongTextNames"/>; here, below the classifier, because <see cref="LongTextFields"/> reads it.
/// </summary>
internal static class LongTextNameTable
{
    static readonly Dictionary<string, LongTextStrategy> Strategies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["truncate"] = LongTextStrategy.Truncate,
        ["head-tail"] = LongTextStrategy.HeadTail,
        ["window"] = LongTextStrategy.SlidingWindow,
    };

    static readonly Dictionary<string, WindowAggregation> Aggregations = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mean"] = WindowAggregation.Mean,
        ["max"] = WindowAggregation.Max,
        ["mean-prob"] = WindowAggregation.MeanProbability,
    };

    /// <summary>The accepted strategy names.</summary>
    public static IReadOnlyCollection<string> StrategyNames => Strategies.Keys;

    /// <summary>The accepted aggregation names.</summary>
    public static IReadOnlyCollection<string> AggregationNames => Aggregations.Keys;

    /// <summary>The name of <paramref name="strategy"/>.</summary>
    public static string Name(LongTextStrategy strategy) => Strategies.First(p => p.Value == strategy).Key;

    /// <summary>The name of <paramref name="aggregation"/>.</summary>
    public static string Name(WindowAggregation aggregation) => Aggregations.First(p => p.Value == aggregation).Key;

    /// <summary>Parses a strategy name.</summary>
    public static bool TryParseStrategy(string? name, out LongTextStrategy strategy) => Strategies.TryGetValue(name ?? "", out strategy);

    /// <summary>Parses an aggregation name.</summary>
    public static bool TryParseAggregation(string? name, out WindowAggregation aggregation) => Aggregations.TryGetValue(name ?? "", out aggregation);
}
