namespace TypedBert.Search;

/// <summary>
/// When a search stops: after <paramref name="Trials"/> trials, or once <paramref name="Time"/> has passed (a trial running then finishes),
/// whichever comes first. Both count from the start of the search, across resumptions.
/// </summary>
public sealed record SearchBudget(int? Trials = null, TimeSpan? Time = null)
{
    /// <summary>Throws when the budget allows nothing or sets no limit.</summary>
    /// <exception cref="ArgumentException">The message names the limit and the fix.</exception>
    public void Validate()
    {
        if (Trials is null && Time is null) throw new ArgumentException("the search budget sets no limit; give a number of trials, a time limit, or both");
        if (Trials is < 1) throw new ArgumentException($"the search budget allows {Trials} trials; give at least 1");
        if (Time is { } time && time <= TimeSpan.Zero) throw new ArgumentException($"the search budget allows {time} of time; give a positive duration such as 30m");
    }

    /// <summary>Whether a search that has run <paramref name="trials"/> trials over <paramref name="elapsed"/> may start another.</summary>
    public bool AllowsAnother(int trials, TimeSpan elapsed) => (Trials is null || trials < Trials) && (Time is null || elapsed < Time);
}
