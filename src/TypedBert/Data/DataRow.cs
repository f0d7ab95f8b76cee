namespace TypedBert.Data;

/// <summary>One labelled row of a data file.</summary>
/// <param name="Source">The file it came from.</param>
/// <param name="Line">The 1-based line where the row starts.</param>
/// <param name="Text">The text (or the first text of a pair).</param>
/// <param name="TextPair">The second text of a pair, when a pair column was named.</param>
/// <param name="Label">The label cell as written: a name, an id, several of them, or a number.</param>
public sealed record DataRow(string Source, int Line, string Text, string? TextPair, string Label)
{
    /// <summary>"file:line" for error messages.</summary>
    public string Where => $"{Source}:{Line}";
}

/// <summary>Which columns hold the text, the optional second text, and the label.</summary>
/// <param name="Text">Text column; several columns may be joined with <paramref name="JoinTextColumnsWith"/> by listing them with commas.</param>
/// <param name="Label">Label column.</param>
/// <param name="TextPair">Optional column of second texts (sentence-pair tasks).</param>
/// <param name="JoinTextColumnsWith">Separator placed between several text columns.</param>
public sealed record DataColumns(string Text = DataColumnDefaults.Text, string Label = DataColumnDefaults.Label, string? TextPair = null, string JoinTextColumnsWith = " ");
