using TypedBert.Classification;

namespace TypedBert.Generators.Model;

/// <summary>
/// The long-text settings a <c>[BertTrainingConfig]</c> writes, as <c>LongTextOptions</c> holds them: a number that is not written is
/// null, and the trainer works out its default for the model.
/// </summary>
internal sealed record LongTextSpec(
    LongTextStrategy Strategy,
    int? Window,
    int? Stride,
    int? HeadTokens,
    WindowAggregation Aggregation,
    int? MaxWindowsPerDocument);
