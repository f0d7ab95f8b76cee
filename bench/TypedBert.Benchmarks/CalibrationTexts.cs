namespace TypedBert.Benchmarks;

/// <summary>The texts the benchmarks calibrate static int8 graphs on: sst2/train sentences (not the test ones it is scored on).</summary>
internal static class CalibrationTexts
{
    /// <summary>The first <paramref name="count"/> sst2/train sentences, else generated sentences when the shared data is absent.</summary>
    public static IReadOnlyList<string> Sst2Train(int count = 256) =>
        Sst2.Read("train")?.Take(count).Select(r => r.Sentence).ToList()
        ?? [.. Enumerable.Range(0, count).Select(i => $"sentence {i} about a film that was {(i % 2 == 0 ? "good" : "bad")} and long in the telling")];
}
