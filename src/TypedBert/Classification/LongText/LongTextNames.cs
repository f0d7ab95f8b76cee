using TypedBert.Modeling.Heads;

namespace TypedBert.Classification.LongText;

/// <summary>
/// The spelling of strategies and aggregations in <c>config.json</c> (<c>typedbert_long_text</c>, <c>typedbert_aggregation</c>) and on the
/// command line (<c>--long-text</c>, <c>--aggregation</c>): one table so that a saved model and a command read the same words.
/// </summary>
public static class LongTextNames
{
    /// <summary>The accepted strategy names.</summary>
    public static IReadOnlyCollection<string> StrategyNames => LongTextNameTable.StrategyNames;

    /// <summary>The accepted aggregation names.</summary>
    public static IReadOnlyCollection<string> AggregationNames => LongTextNameTable.AggregationNames;

    /// <summary>The name of <paramref name="strategy"/>.</summary>
    public static string Name(LongTextStrategy strategy) => LongTextNameTable.Name(strategy);

    /// <summary>The name of <paramref name="aggregation"/>.</summary>
    public static string Name(WindowAggregation aggregation) => LongTextNameTable.Name(aggregation);

    /// <summary>Parses a strategy name.</summary>
    public static bool TryParseStrategy(string? name, out LongTextStrategy strategy) => LongTextNameTable.TryParseStrategy(name, out strategy);

    /// <summary>Parses an aggregation name.</summary>
    public static bool TryParseAggregation(string? name, out WindowAggregation aggregation) => LongTextNameTable.TryParseAggregation(name, out aggregation);
}
