using TypedBert.Classification;

namespace TypedBert.Tests;

/// <summary>Tests' shorthand for a classifier with other prediction settings over the same weights.</summary>
internal static class Reconfigure
{
    /// <summary>
    /// <paramref name="source"/>'s weights with <paramref name="change"/> applied to its settings; <paramref name="source"/> is disposed
    /// (the copy holds the weights), so a test writes <c>using var c = TextClassifier.FromPretrained(...).With(s =&gt; s with { ... })</c>.
    /// </summary>
    public static TextClassifier With(this TextClassifier source, Func<PredictionSettings, PredictionSettings> change)
    {
        try
        {
            return source.WithSettings(change(source.Settings));
        }
        finally
        {
            source.Dispose();
        }
    }
}
