namespace TypedBert.Search;

/// <summary>One finished trial of a study, as the state file records it.</summary>
/// <param name="Number">Its place in the study, from 0; the sampler's point depends on it.</param>
/// <param name="State">Complete, pruned or failed.</param>
/// <param name="Parameters">The values it tried.</param>
/// <param name="Value">The objective value of a complete trial; null otherwise.</param>
/// <param name="Intermediate">The values it reported while running, in order.</param>
/// <param name="Seconds">Its wall time.</param>
/// <param name="Error">Why it failed.</param>
public sealed record Trial(int Number, TrialState State, TrialParameters Parameters, double? Value, IReadOnlyList<IntermediateValue> Intermediate, double Seconds, string? Error = null)
{
    /// <summary>The step of its best intermediate value in <paramref name="direction"/> (the epoch a trainer keeps), or null without any.</summary>
    public int? BestStep(StudyDirection direction) =>
        Intermediate.Count == 0 ? null
        : (direction == StudyDirection.Maximize ? Intermediate.MaxBy(v => v.Value) : Intermediate.MinBy(v => v.Value))!.Step;
}
