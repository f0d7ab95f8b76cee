using Microsoft.CodeAnalysis;

namespace TypedBert.Generators.Model;

/// <summary>A training file named in <c>[BertLabels(TrainingData = ...)]</c>: the path as written and the columns to read.</summary>
internal sealed record DataRequest(string Path, string TextColumn, string LabelColumn);

/// <summary>One line of an additional file (0-based line, its character span), without keeping the file's text alive.</summary>
internal readonly record struct FilePosition(int Line, int Start, int Length);

/// <summary>One distinct label cell of a training file: how often it occurs and where it first does.</summary>
internal readonly record struct LabelCell(string Value, int Count, FilePosition First);

/// <summary>
/// What the generator read from a training file: the distinct cells of its label column, or why it could not read them
/// (<paramref name="MissingColumn"/> and the <paramref name="Columns"/> there are, when that is the reason). Only these
/// aggregates travel down the pipeline, so a 100,000-row file costs one pass and a few hundred bytes of cache.
/// </summary>
internal sealed record DataFileScan(DataRequest Request, string FilePath, int Rows, FilePosition Header, EquatableArray<LabelCell> Cells,
    string? Error, FilePosition ErrorAt, string? MissingColumn = null, string? Columns = null);

/// <summary>A model folder's <c>config.json</c> as the generator read it: <c>id2label</c> in id order, or why it could not.</summary>
internal sealed record ModelConfigScan(string ModelPath, string FilePath, EquatableArray<string> Labels, string? Error, FilePosition At);

/// <summary>
/// What the file checks need from one <c>[BertLabels]</c> enum. The locations are real source locations (they keep the
/// syntax tree), so that <c>#pragma warning disable</c> and .editorconfig severities apply; the emit step never sees them.
/// </summary>
internal sealed record FileChecks(
    string EnumName,
    bool IsFlags,
    EquatableArray<LabelMemberSpec> Labels,
    DataRequest? Data,
    Location? DataLocation,
    string? ModelPath,
    Location? ModelPathLocation);
