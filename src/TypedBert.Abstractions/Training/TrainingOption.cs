namespace TypedBert.Training;

/// <summary>What kind of value a <see cref="TrainingOption"/> holds.</summary>
public enum OptionKind
{
    /// <summary>A whole number.</summary>
    Whole,
    /// <summary>A real number.</summary>
    Real,
    /// <summary>On or off (1 or 0 where a number stands for it).</summary>
    Switch,
}

/// <summary>
/// One row of <see cref="TrainingOptionTable"/>: a training option's name (the <c>TrainingOptions</c> property and the
/// <c>[BertTrainingConfig]</c> argument), its <c>best.json</c> key, its <c>typedbert train</c> flag, its default, the values it accepts
/// and its help text.
/// </summary>
public sealed class TrainingOption
{
    internal TrainingOption(string name, string? jsonKey, string? cliFlag, double? defaultValue, OptionRange? range, string help, bool onAttribute, OptionKind kind,
        TrainingOption? overriddenBy = null)
    {
        OverriddenBy = overriddenBy;
        Kind = kind;
        Name = name;
        JsonKey = jsonKey;
        CliFlag = cliFlag;
        Default = defaultValue;
        Range = range;
        Help = help;
        OnAttribute = onAttribute;
    }

    /// <summary>Whole number, real number or switch.</summary>
    public OptionKind Kind { get; }
    /// <summary>The property of <c>TrainingOptions</c> (or <c>FewShotOptions</c>) and the argument of <c>[BertTrainingConfig]</c>.</summary>
    public string Name { get; }
    /// <summary>The property of <c>best.json</c> a search writes the option under; null when a search does not choose it.</summary>
    public string? JsonKey { get; }
    /// <summary>The option of <c>typedbert train</c>; null when the command line does not set it.</summary>
    public string? CliFlag { get; }
    /// <summary>The default; null when the option is unset by default (the model's maximum, no early stopping, ...).</summary>
    public double? Default { get; }
    /// <summary>The values the trainer accepts; null when every value is (a seed, a switch).</summary>
    public OptionRange? Range { get; }
    /// <summary>One line for <c>--help</c>.</summary>
    public string Help { get; }
    /// <summary>Whether <c>[BertTrainingConfig]</c> has an argument for it (one written there wins over a search's value).</summary>
    public bool OnAttribute { get; }
    /// <summary>
    /// The option that wins over this one when set (the warm-up steps over the warm-up ratio); null when none does. A search that sets
    /// this option clears that one, unless the user gave it.
    /// </summary>
    public TrainingOption? OverriddenBy { get; }

    /// <summary>The message of a refused value, as the runtime's validation throws it: "Epochs must be at least 1, not 0".</summary>
    public string Refusal(string value) => $"{Name} must {Range?.Requirement ?? "be valid"}, not {value}";

    /// <summary>Whether <paramref name="value"/> is in <see cref="Range"/>.</summary>
    public bool Accepts(double value) => Range?.Contains(value) ?? true;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
