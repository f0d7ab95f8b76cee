namespace TypedBert.Training;

/// <summary>Where an option's value came from, in the order they win.</summary>
public enum OptionSource
{
    /// <summary>Nobody set it: <see cref="TrainingOption.Default"/>.</summary>
    Default,
    /// <summary>A search's <c>best.json</c> (<c>train --config</c>, <c>[BertTrainingConfig(SearchResult = ...)]</c>).</summary>
    Searched,
    /// <summary>The user wrote it: an option on the command line, an argument on the attribute.</summary>
    Explicit,
}

/// <summary>
/// The one merge rule of <c>typedbert train --config</c> and of the source generator's <c>[BertTrainingConfig(SearchResult = ...)]</c>:
/// explicit &gt; searched &gt; default.
/// </summary>
public static class OptionPrecedence
{
    /// <summary>Where the value of an option comes from.</summary>
    /// <param name="isExplicit">The user wrote the option.</param>
    /// <param name="isSearched">A search result holds a value for it.</param>
    public static OptionSource SourceOf(bool isExplicit, bool isSearched) =>
        isExplicit ? OptionSource.Explicit : isSearched ? OptionSource.Searched : OptionSource.Default;

    /// <summary>The value that wins: <paramref name="given"/> (the user's, or the default when not written) unless only the search set it.</summary>
    public static T Pick<T>(bool isExplicit, T given, bool isSearched, T searched) =>
        SourceOf(isExplicit, isSearched) == OptionSource.Searched ? searched : given;
}
