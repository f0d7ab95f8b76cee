using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>The long-text options of the command line: values out of range refused up front with the range and no stack trace; overrides of the saved strategy.</summary>
public sealed class LongTextCommandTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("typedbert-cli-longtext-").FullName;

    public LongTextCommandTests()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]);
        classifier.Save(Path.Combine(folder, "model"));
        File.WriteAllLines(Path.Combine(folder, "data.tsv"), ["text\tlabel", "a fine film\tpositive", "a dull film\tnegative"]);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    static void AssertRefused(ProcessResult result, string message)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains(message, result.StandardError);
        Assert.DoesNotContain("   at ", result.StandardError); // a message, not a stack trace
        Assert.DoesNotContain("Unhandled exception", result.StandardError);
    }

    [Fact]
    public void Values_out_of_range_are_refused_with_the_allowed_range()
    {
        AssertRefused(CommandLineTests.Typedbert(folder, "predict", "--model", "model", "--text", "hi", "--sliding-window", "--window", "128", "--stride", "128"),
            "stride 128 is out of range: it must be between 1 and the window's 126 content tokens");
        AssertRefused(CommandLineTests.Typedbert(folder, "eval", "--model", "model", "--data", "data.tsv", "--long-text", "window", "--window", "1024"),
            "window 1024 is out of range: it must be between 3 and the model's 512 positions");
        AssertRefused(CommandLineTests.Typedbert(folder, "predict", "--model", "model", "--text", "hi", "--long-text", "middle"),
            "--long-text middle: expected one of truncate, head-tail, window");
        AssertRefused(CommandLineTests.Typedbert(folder, "predict", "--model", "model", "--text", "hi", "--aggregation", "median"),
            "--aggregation median: expected one of mean, max, mean-prob");
        AssertRefused(CommandLineTests.Typedbert(folder, "train", "--data", "data.tsv", "--output", "out", "--long-text", "head-tail", "--window", "64", "--head-tokens", "63"),
            "head tokens 63 is out of range: head + tail must fit the window's 62 content tokens, so the head must be between 0 and 62");
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    /// <summary>Few-shot training truncates to --max-length: a long-text option would be ignored, so it is refused before any work.</summary>
    [Theory]
    [InlineData("--long-text window", "--long-text window")]
    [InlineData("--long-text head-tail --head-tokens 16", "--long-text head-tail")]
    [InlineData("--window 64", "--window")]
    [InlineData("--stride 16", "--stride")]
    [InlineData("--head-tokens 16", "--head-tokens")]
    [InlineData("--aggregation max", "--aggregation")]
    [InlineData("--max-windows-per-document 2", "--max-windows-per-document")]
    public void Setfit_refuses_long_text_options_it_would_ignore(string options, string named)
    {
        var result = CommandLineTests.Typedbert(folder, ["train", "--method", "setfit", "--data", "data.tsv", "--output", "out", .. options.Split(' ')]);
        AssertRefused(result, $"error: {named} is not read by --method setfit, which truncates each text to --max-length tokens; drop {named}, or use --method finetune");
        Assert.Equal(2, result.ExitCode);   // as the other option values refused once parsed (a window out of range, say)
        Assert.False(Directory.Exists(Path.Combine(folder, "out")));
    }

    [Fact]
    public void Predict_reads_windows_when_asked_and_the_saved_strategy_otherwise()
    {
        string text = string.Join(' ', Enumerable.Repeat("word", 100));
        var windows = CommandLineTests.Typedbert(folder, "predict", "--model", "model", "--text", text, "--long-text", "window", "--window", "34", "--stride", "32", "--json", "-");
        Assert.True(windows.ExitCode == 0, windows.ToString());
        using (var json = JsonDocument.Parse(windows.StandardOutput))
            // 100 tokens in windows of 32 content tokens: starts 0, 32, 64; the 4 tokens left at 96 are under the 16-token minimum.
            Assert.Equal(3, json.RootElement[0].GetProperty("windows").GetInt32());
        var truncated = CommandLineTests.Typedbert(folder, "predict", "--model", "model", "--text", text, "--json", "-");
        using (var json = JsonDocument.Parse(truncated.StandardOutput))
            Assert.Equal(1, json.RootElement[0].GetProperty("windows").GetInt32());
    }
}
