namespace TypedBert.Search.Pruning;

/// <summary>
/// Decides whether a running trial should stop early, from its intermediate values and those of the trials before it (Optuna's pruners).
/// </summary>
public interface IPruner
{
    /// <summary>
    /// Whether the trial whose values so far are <paramref name="current"/> (the newest last) should stop, given the finished
    /// <paramref name="earlier"/> trials, for a study that looks for values in <paramref name="direction"/>.
    /// </summary>
    bool ShouldPrune(IReadOnlyList<IntermediateValue> current, IReadOnlyList<Trial> earlier, StudyDirection direction);

    /// <summary>The pruner and its settings in words; a change of it makes a saved search another search.</summary>
    string Describe();
}
