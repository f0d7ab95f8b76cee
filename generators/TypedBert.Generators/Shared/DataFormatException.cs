using System;

namespace TypedBert.Data;

/// <summary>
/// The generator's stand-in for TypedBert's exception of the same name, which the shared <see cref="DelimitedTextReader"/>
/// throws: a row that cannot be read, with its 1-based line and the reason.
/// </summary>
internal sealed class DataFormatException(string source, int line, string reason) : Exception($"{source}:{line}: {reason}")
{
    public int LineNumber { get; } = line;

    public string Reason { get; } = reason;
}
