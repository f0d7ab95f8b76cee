namespace TypedBert.Data;

/// <summary>
/// The column names a data file has unless told otherwise: <c>DataColumns</c>, <c>[BertLabels(TrainingData = ...)]</c>
/// and the source generator's reading of that attribute take them from here (through TypedBert.Abstractions).
/// </summary>
public static class DataColumnDefaults
{
    /// <summary>The text column (a JSON Lines field name in .jsonl files).</summary>
    public const string Text = "text";

    /// <summary>The label column.</summary>
    public const string Label = "label";
}
