namespace TypedBert.Data;

/// <summary>A data file row that cannot be used: names the file, line and reason.</summary>
public sealed class DataFormatException(string source, int line, string reason)
    : Exception($"{source}:{line}: {reason}")
{
    /// <summary>The file.</summary>
    public string SourceFile { get; } = source;
    /// <summary>The 1-based line.</summary>
    public int LineNumber { get; } = line;
    /// <summary>What is wrong.</summary>
    public string Reason { get; } = reason;

    /// <summary>The column (a JSON Lines field) that the header or the row lacks, when that is what is wrong.</summary>
    public string? MissingColumn { get; set; }

    /// <summary>The label that no label of the set names, when that is what is wrong.</summary>
    public string? UnknownLabel { get; set; }
}
