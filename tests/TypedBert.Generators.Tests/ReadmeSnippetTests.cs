namespace TypedBert.Generators.Tests;

/// <summary>
/// Every ```csharp block of README.md compiles with the generator against TypedBert as it is, so the front page never shows
/// an API that is gone or misspelled. A block the README deliberately leaves uncompiled says so, with its reason, in a
/// <c>&lt;!-- snippet: not compiled (reason) --&gt;</c> comment just before it.
/// </summary>
public sealed class ReadmeSnippetTests
{
    public static TheoryData<int> Snippets() => [.. ReadmeSnippets.Read(ReadmeSnippets.ReadmePath).Select(s => s.Line)];

    [Theory]
    [MemberData(nameof(Snippets))]
    public void README_snippet_compiles(int line)
    {
        var snippet = ReadmeSnippets.Read(ReadmeSnippets.ReadmePath).Single(s => s.Line == line);
        if (snippet.NotCompiledReason is not null) return;   // the README says why, next to the block
        var errors = ReadmeSnippetCompiler.Errors(snippet, "README.md");
        Assert.True(errors.Count == 0, $"README.md's snippet at line {line} does not compile:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void A_misspelled_method_in_a_snippet_is_an_error_at_its_README_line()
    {
        var snippet = new ReadmeSnippets.Snippet(500, "using var loaded = TextClassifier.Load(\"m\");\nvar p = loaded.Predcit(\"text\");", null);
        var errors = ReadmeSnippetCompiler.Errors(snippet, "README.md");
        Assert.StartsWith("README.md:501: CS1061: ", Assert.Single(errors));
    }

    [Fact]
    public void The_README_has_snippets_and_marks_only_with_a_reason()
    {
        var snippets = ReadmeSnippets.Read(ReadmeSnippets.ReadmePath);
        Assert.True(snippets.Count >= 5, $"only {snippets.Count} ```csharp blocks found in {ReadmeSnippets.ReadmePath}");
        Assert.All(snippets.Where(s => s.NotCompiledReason is not null), s => Assert.False(string.IsNullOrWhiteSpace(s.NotCompiledReason)));
    }
}
