using System.Text.Json;
using System.Text.Json.Nodes;
using TypedBert.Classification;

namespace TypedBert.Modeling.Heads;

/// <summary>The <c>typedbert_*</c> fields of <c>config.json</c> that record how a model reads long texts.</summary>
internal static class LongTextFields
{
    const string Strategy = "typedbert_long_text";
    const string Window = "typedbert_window";
    const string Stride = "typedbert_stride";
    const string Head = "typedbert_head_tokens";
    const string Aggregation = "typedbert_aggregation";
    const string MinimumWindow = "typedbert_min_window_tokens";
    const string Cap = "typedbert_max_windows_per_document";

    /// <summary>Every field name, so that an encoder's config copied into a new classifier drops an old head's settings.</summary>
    public static readonly string[] Names = [Strategy, Window, Stride, Head, Aggregation, MinimumWindow, Cap];

    public static void Write(JsonObject root, LongTextOptions options)
    {
        root[Strategy] = LongTextNameTable.Name(options.Strategy);
        if (options.WindowTokens is int window) root[Window] = window;
        if (options.Stride is int stride) root[Stride] = stride;
        if (options.HeadTokens is int head) root[Head] = head;
        root[Aggregation] = LongTextNameTable.Name(options.Aggregation);
        root[MinimumWindow] = options.MinimumWindowTokens;
        if (options.MaxWindowsPerDocument is int cap) root[Cap] = cap;
    }

    /// <summary>The options saved in <paramref name="extra"/>, or null when it has none; a bad value fails with the file's name.</summary>
    public static LongTextOptions? Read(IReadOnlyDictionary<string, JsonElement> extra, string path)
    {
        if (!extra.TryGetValue(Strategy, out var strategyField)) return null;
        if (!LongTextNameTable.TryParseStrategy(strategyField.ValueKind == JsonValueKind.String ? strategyField.GetString() : null, out var strategy))
            throw new InvalidDataException($"{path}: {Strategy} {strategyField} is not one of {string.Join(", ", LongTextNameTable.StrategyNames)}");
        var aggregation = WindowAggregation.Mean;
        if (extra.TryGetValue(Aggregation, out var aggregationField)
            && !LongTextNameTable.TryParseAggregation(aggregationField.ValueKind == JsonValueKind.String ? aggregationField.GetString() : null, out aggregation))
            throw new InvalidDataException($"{path}: {Aggregation} {aggregationField} is not one of {string.Join(", ", LongTextNameTable.AggregationNames)}");
        int? Number(string name) => !extra.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
            : value.TryGetInt32(out int n) ? n : throw new InvalidDataException($"{path}: {name} {value} is not a whole number");
        return new LongTextOptions
        {
            Strategy = strategy, WindowTokens = Number(Window), Stride = Number(Stride), HeadTokens = Number(Head), Aggregation = aggregation,
            MinimumWindowTokens = Number(MinimumWindow) ?? new LongTextOptions().MinimumWindowTokens, MaxWindowsPerDocument = Number(Cap),
        };
    }
}
