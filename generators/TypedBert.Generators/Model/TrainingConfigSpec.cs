using TypedBert.Training;

namespace TypedBert.Generators.Model;

/// <summary>One training option of a spec: its row's name and its value (a switch 0 or 1), null when unset.</summary>
internal readonly record struct OptionValue(string Name, double? Value);

/// <summary>
/// A validated <c>[BertTrainingConfig]</c> class, as plain equatable data. <paramref name="Options"/> holds the value of every row of
/// TrainingOptionTable the generated Options set, in the table's order: the attribute's arguments (or their defaults), then the options
/// only a search result sets (their defaults until one does). <c>LongText</c> is null when the attribute sets no long-text setting:
/// the generated options then leave the classifier's own strategy in place.
/// </summary>
internal sealed record TrainingConfigSpec(
    string? Namespace,
    string ClassName,
    bool IsPublic,
    string LabelEnumFullyQualifiedName,
    string LabelEnumName,
    string BaseModel,
    EquatableArray<OptionValue> Options,
    FewShotSpec? FewShot,
    LongTextSpec? LongText)
{
    /// <summary>The value of <paramref name="option"/>; null when unset or not in the spec.</summary>
    public double? this[TrainingOption option]
    {
        get
        {
            foreach (var value in Options)
                if (value.Name == option.Name) return value.Value;
            return null;
        }
    }

    /// <summary>The value of a whole-number option, 0 when unset (the attribute's "none").</summary>
    public int Whole(TrainingOption option) => (int)(this[option] ?? 0);

    /// <summary>The classifier's pooling; null leaves it to the base model.</summary>
    public Classification.PoolingStrategy? Pooling { get; init; }
    /// <summary>The search result the options' values came from where the attribute does not write them; null without one.</summary>
    public SearchResultSpec? Search { get; init; }
}

/// <summary>The few-shot settings of a configuration with <c>Method = TrainingMethod.SetFit</c>.</summary>
internal sealed record FewShotSpec(int PairIterations, double BodyLearningRate, int HeadSteps);

/// <summary>
/// The parser's result for a <c>[BertTrainingConfig]</c> class; <paramref name="Search"/> is what the search-result step needs when the
/// attribute names one (the spec then still lacks the file's values).
/// </summary>
internal sealed record TrainingConfigParseResult(TrainingConfigSpec? Spec, EquatableArray<DiagnosticInfo> Diagnostics, SearchResultUse? Search = null);
