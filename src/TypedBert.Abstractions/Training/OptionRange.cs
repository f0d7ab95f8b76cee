using System;
using System.Globalization;

namespace TypedBert.Training;

/// <summary>
/// The values a training option accepts: a lower bound and an optional upper bound, each included or not. The runtime's validation,
/// the CLI and the source generator all check and describe a value with the same instance (<see cref="TrainingOptionTable"/>).
/// </summary>
public sealed class OptionRange
{
    OptionRange(double minimum, bool minimumIncluded, double? maximum, bool maximumIncluded, bool whole)
    {
        Minimum = minimum;
        MinimumIncluded = minimumIncluded;
        Maximum = maximum;
        MaximumIncluded = maximumIncluded;
        Whole = whole;
    }

    /// <summary>Whole numbers from <paramref name="minimum"/> up (to <paramref name="maximum"/> when given), both included.</summary>
    public static OptionRange Count(int minimum, int? maximum = null) => new(minimum, true, maximum, true, whole: true);

    /// <summary>Real numbers between the bounds, each included or not; no upper bound when <paramref name="maximum"/> is null.</summary>
    public static OptionRange Real(double minimum, bool minimumIncluded, double? maximum = null, bool maximumIncluded = false) =>
        new(minimum, minimumIncluded, maximum, maximumIncluded, whole: false);

    /// <summary>The lower bound.</summary>
    public double Minimum { get; }
    /// <summary>Whether <see cref="Minimum"/> itself is accepted.</summary>
    public bool MinimumIncluded { get; }
    /// <summary>The upper bound; null for none.</summary>
    public double? Maximum { get; }
    /// <summary>Whether <see cref="Maximum"/> itself is accepted.</summary>
    public bool MaximumIncluded { get; }
    /// <summary>Whether the option is a whole number.</summary>
    public bool Whole { get; }

    /// <summary>Whether <paramref name="value"/> is accepted (NaN never is).</summary>
    public bool Contains(double value) =>
        (MinimumIncluded ? value >= Minimum : value > Minimum)
        && (Maximum is not double maximum || (MaximumIncluded ? value <= maximum : value < maximum));

    static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The range as a check's message ends: "1 or more", "1..1000", "(0, 1)", "0 or more".</summary>
    public string Text => Maximum is double maximum
        ? Whole ? $"{N(Minimum)}..{N(maximum)}" : $"{(MinimumIncluded ? "[" : "(")}{N(Minimum)}, {N(maximum)}{(MaximumIncluded ? "]" : ")")}"
        : MinimumIncluded ? $"{N(Minimum)} or more" : $"above {N(Minimum)}";

    /// <summary>What a value must do, after "must": "be at least 1", "not be negative", "be in (0, 1)", "be between 1 and 1000".</summary>
    public string Requirement => Maximum is double maximum
        ? Whole ? $"be between {N(Minimum)} and {N(maximum)}" : $"be in {Text}"
        : !MinimumIncluded ? $"be above {N(Minimum)}" : Minimum == 0 ? "not be negative" : $"be at least {N(Minimum)}";

    /// <inheritdoc/>
    public override string ToString() => Text;
}
