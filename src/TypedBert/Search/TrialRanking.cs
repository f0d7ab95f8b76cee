namespace TypedBert.Search;

/// <summary>Ranks finished trials, as the (internal) study does when it reports its best.</summary>
public static class TrialRanking
{
    /// <summary>The best complete trial of <paramref name="trials"/> in <paramref name="direction"/> (the earliest of equals), or null.</summary>
    public static Trial? Best(this IEnumerable<Trial> trials, StudyDirection direction) => Study.BestOf(trials, direction);
}
