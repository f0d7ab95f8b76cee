using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Suggestions;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert suggest</c> on a saved classifier: the file it writes against the library's own call, and the refusals.</summary>
public sealed class SuggestCommandTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("typedbert-suggest-cli-").FullName;

    static readonly string[] Pool =
    [
        "a wonderful, moving film", "dull and far too long", "the cast is superb", "a waste of a good evening", "funny, warm and smart",
        "the plot makes no sense", "neither good nor bad", "an instant classic",
    ];

    public SuggestCommandTests()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["bad", "good"], seed: 3);
        classifier.Save(Path.Combine(folder, "model"));
        File.WriteAllLines(Path.Combine(folder, "pool.tsv"), ["text", .. Pool]);
        File.WriteAllLines(Path.Combine(folder, "train.tsv"), ["text\tlabel", $"{Pool[2]}\tgood"]);
    }

    [Fact]
    public void Suggest_writes_the_texts_the_library_suggests_with_their_pool_lines_leaving_labelled_ones_out()
    {
        var run = CommandLineTests.Typedbert(folder, "suggest", "--model", "model", "--pool", "pool.tsv", "--labelled", "train.tsv", "--count", "3",
            "--strategy", "least-confidence", "--output", "next.tsv");
        Assert.True(run.ExitCode == 0, run.ToString());
        using var classifier = TextClassifier.Load(Path.Combine(folder, "model"));
        var expected = classifier.Suggest(Pool, 3, new SuggestionOptions { Strategy = SuggestionStrategy.LeastConfidence, Labelled = [Pool[2]] });
        var lines = File.ReadAllLines(Path.Combine(folder, "next.tsv"));
        Assert.Equal("text\tpredicted\tuncertainty\tpool_line", lines[0]);
        Assert.Equal(expected.Select(s => s.Text), lines.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.Equal(expected.Select(s => (s.Index + 2).ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split('\t')[3])); // line 1 is the header
        Assert.DoesNotContain(Pool[2], lines);
    }

    [Theory]
    [InlineData("--count", "0", "at least one")]
    [InlineData("--strategy", "smart", "random, least-confidence, margin, entropy, diverse")]
    public void Bad_options_are_refused_with_exit_code_2(string option, string value, string expected)
    {
        var run = CommandLineTests.Typedbert(folder, "suggest", "--model", "model", "--pool", "pool.tsv", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreadable_or_empty_pool_is_named_with_its_line()
    {
        File.WriteAllLines(Path.Combine(folder, "bad.tsv"), ["text\tsource", "fine\tweb", "a row with\tthree\tfields"]);
        var run = CommandLineTests.Typedbert(folder, "suggest", "--model", "model", "--pool", "bad.tsv");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--pool", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("bad.tsv:3", run.StandardError, StringComparison.Ordinal);

        File.WriteAllLines(Path.Combine(folder, "empty.tsv"), ["text", "  "]);
        run = CommandLineTests.Typedbert(folder, "suggest", "--model", "model", "--pool", "empty.tsv");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no text", run.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
