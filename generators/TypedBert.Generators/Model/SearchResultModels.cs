using Microsoft.CodeAnalysis;
using TypedBert.Classification;
using TypedBert.Training;

namespace TypedBert.Generators.Model;

/// <summary>
/// The values of a search's <c>best.json</c> (BestConfiguration's fields) that a typed configuration uses or checks. Plain equatable
/// data: a file that changes gives other values, and so another spec and another generated source.
/// </summary>
internal sealed record SearchResultValues(
    string Model,
    EquatableArray<string>? Labels,
    int Trial,
    string Metric,
    double Value,
    int? BestEpoch,
    string? EvaluatedOn,
    PoolingStrategy? Pooling,
    EquatableArray<OptionValue> Options)
{
    /// <summary>The file's value of a row of <see cref="TrainingOptionTable.Searched"/>; null when the file leaves it unset.</summary>
    public double? ValueOf(TrainingOption option)
    {
        foreach (var value in Options)
            if (value.Name == option.Name) return value.Value;
        return null;
    }
}

/// <summary>The line a property of <c>best.json</c> is on, so that a diagnostic about its value points at it.</summary>
internal readonly record struct FieldPosition(string Name, FilePosition At);

/// <summary>
/// What the generator read from the file a <c>[BertTrainingConfig(SearchResult = ...)]</c> names (<paramref name="Path"/> as written):
/// its values and the line of each property, or why it cannot be used (<paramref name="Error"/> at <paramref name="ErrorAt"/>).
/// </summary>
internal sealed record SearchResultScan(string Path, string FilePath, SearchResultValues? Values, EquatableArray<FieldPosition> Fields,
    FilePosition FirstLine, string? Error, FilePosition ErrorAt)
{
    /// <summary>The line of property <paramref name="name"/>, or the first line when the file does not have it.</summary>
    public FilePosition PositionOf(string name)
    {
        foreach (var field in Fields)
            if (field.Name == name) return field.At;
        return FirstLine;
    }
}

/// <summary>
/// What the search-result step needs from one <c>[BertTrainingConfig(SearchResult = ...)]</c> class. <paramref name="PathLocation"/> is
/// the real location of the argument (for TB0401); <paramref name="Written"/> lists the attribute's arguments that win over the file.
/// </summary>
internal sealed record SearchResultUse(
    string Path,
    Location? PathLocation,
    string ClassName,
    string EnumName,
    bool IsFlags,
    EquatableArray<LabelMemberSpec> Labels,
    string BaseModel,
    EquatableArray<string> Written);

/// <summary>An attribute argument that won over the search result's value: the option and the file's value, as the comment shows it.</summary>
internal readonly record struct SearchOverride(string Option, string FileValue);

/// <summary>Where a configuration's search values came from, for the generated comment and constants.</summary>
internal sealed record SearchResultSpec(
    string Path,
    int Trial,
    string Metric,
    double Value,
    int? BestEpoch,
    string? EvaluatedOn,
    EquatableArray<SearchOverride> Overrides);
