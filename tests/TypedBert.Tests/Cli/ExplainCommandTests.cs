using System.Net;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary><c>typedbert explain</c> on a saved (untrained-head) classifier: the words, the HTML page and the refusals.</summary>
public sealed class ExplainCommandTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("typedbert-explain-cli-").FullName;

    public ExplainCommandTests()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["bad", "good"]);
        classifier.Save(Path.Combine(folder, "model"));
    }

    [Fact]
    public void Explain_prints_every_word_with_its_score_and_writes_an_escaped_html_page()
    {
        const string text = "a <script>alert(1)</script> & fine film";
        var run = CommandLineTests.Typedbert(folder, "explain", "--model", "model", "--text", text, "--label", "good", "--steps", "8", "--html", "out.html");
        Assert.True(run.ExitCode == 0, run.ToString());
        // Redirected output: plain words with bracketed scores, in the order of the text.
        string line = run.StandardOutput.Split('\n').First(l => l.StartsWith("a[", StringComparison.Ordinal));
        Assert.Equal(["a", "<script>alert(1)</script>", "&", "fine", "film"], line.Split(' ').Select(w => w[..w.LastIndexOf('[')]));
        string html = File.ReadAllText(Path.Combine(folder, "out.html"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("<script>alert(1)</script>"), html, StringComparison.Ordinal);
        Assert.Equal(5, html.Split("class=\"w\"").Length - 1);
        Assert.Empty(Directory.GetFiles(folder, "*.tmp*"));   // written atomically: no temporary file left
    }

    [Theory]
    [InlineData("--label", "neutral", "bad, good")]
    [InlineData("--steps", "0", "between 1 and 1000")]
    [InlineData("--steps", "10000", "between 1 and 1000")]
    public void Bad_options_are_refused_with_exit_code_2_and_the_allowed_values(string option, string value, string expected)
    {
        var run = CommandLineTests.Typedbert(folder, "explain", "--model", "model", "--text", "fine", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
