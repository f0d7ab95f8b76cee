namespace TypedBert.Search;

/// <summary>
/// What a study saves after every trial: the settings that make it the same study (space, sampler, pruner, data, ...), the finished
/// trials and the time spent. A resumed study starts from it.
/// </summary>
/// <param name="Settings">Name and description of everything that must not change for a resumed study to continue the same search.</param>
/// <param name="Direction">Whether larger or smaller values are better.</param>
/// <param name="Trials">The finished trials, in order of their numbers.</param>
/// <param name="ElapsedSeconds">Wall time of the study so far, across resumptions.</param>
internal sealed record StudyState(IReadOnlyDictionary<string, string> Settings, StudyDirection Direction, IReadOnlyList<Trial> Trials, double ElapsedSeconds)
{
    /// <summary>The best complete trial, or null while there is none.</summary>
    public Trial? Best => Study.BestOf(Trials, Direction);
}
