using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground's script, as the server serves it, run in Node against the real server (no browser needed): a blank text
/// is not sent, a text the server refuses shows the server's own message, and the script's rule for a blank text is the
/// server's, code point for code point. Fails where Node is not installed (.ci/run installs Debian's nodejs).
/// </summary>
public sealed partial class PlaygroundScriptTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    static readonly TimeSpan NodeLimit = TimeSpan.FromSeconds(60);

    RunningServer Server => fixture.Server;

    [Fact]
    public async Task A_blank_text_is_not_sent_and_a_refused_text_shows_the_servers_message()
    {
        string node = RequireNode();
        using var folder = new TemporaryFolder();
        string script = Path.Combine(folder.Path, "playground.js");
        await File.WriteAllTextAsync(script, await Server.Client.GetStringAsync("/playground/playground.js"));
        // Hand-written JSON: the lone surrogate stays an escape until Node reads it, as a textarea would hold it.
        const string texts = """["", "  \n\t ", "\u200b\u00a0\ufeff", "abc \ud83d def", "a good film"]""";

        string output = await Node.RunAsync(node, [Path.Combine(AppContext.BaseDirectory, "Support", "playground-harness.js"), script, Server.Address.ToString(), texts], NodeLimit);
        var results = JsonSerializer.Deserialize<List<TypedResult>>(output)!;
        Assert.Equal(5, results.Count);

        foreach (var blank in results[..3])
        {
            Assert.Empty(blank.Posted);
            Assert.True(blank.Error);
            Assert.StartsWith("Type a text first", blank.Status);
            Assert.True(blank.ResultHidden, "the bars of the previous text are hidden");
        }

        // The page sends what it holds and shows exactly what the server answers to that body.
        var refused = results[3];
        string body = Assert.Single(refused.Posted);
        Assert.Contains(@"\ud83d", body);
        var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var direct = await Server.Client.PostAsync("/predict", content);
        var error = (await direct.Content.ReadFromJsonAsync<ErrorResponse>())!;
        Assert.Equal("text", error.Field);
        Assert.Equal($"{(int)direct.StatusCode}: {error.Error} ({error.Field})", refused.Status);
        Assert.Equal(400, (int)direct.StatusCode);
        Assert.True(refused.Error);
        Assert.True(refused.ResultHidden);

        var good = results[4];
        Assert.Single(good.Posted);
        Assert.False(good.Error, good.Status);
        Assert.False(good.ResultHidden);
    }

    [Fact]
    public async Task The_scripts_blank_rule_is_the_servers_for_every_code_point()
    {
        string node = RequireNode();
        string script = await Server.Client.GetStringAsync("/playground/playground.js");
        string rule = BlankRule().Match(script) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("no `const blank = /.../u;` in playground.js");
        string program = $$"""
            const rule = {{rule}};
            const blank = [];
            for (let cp = 0; cp <= 0x10FFFF; cp++) if ((cp < 0xD800 || cp > 0xDFFF) && rule.test(String.fromCodePoint(cp))) blank.push(cp);
            console.log(JSON.stringify(blank));
            """;
        var page = JsonSerializer.Deserialize<int[]>(await Node.RunAsync(node, ["-e", program], NodeLimit))!.ToHashSet();
        var server = Enumerable.Range(0, 0x110000).Where(cp => cp is < 0xD800 or > 0xDFFF && BlankText.Is(char.ConvertFromUtf32(cp))).ToHashSet();

        Assert.Contains(' ', server);
        Assert.Contains(0x200B, server);
        var differences = page.Except(server).Concat(server.Except(page)).Order().Select(cp => $"U+{cp:X4}").ToList();
        Assert.True(differences.Count == 0, $"the page and the server disagree on {string.Join(", ", differences)}");
    }

    /// <summary>Node, or a failure that says how to get it: a missing Node must not pass as a skipped test (.ci/run installs it).</summary>
    static string RequireNode() => Node.FindExecutable()
        ?? throw new InvalidOperationException("no node on the PATH (or TYPEDBERT_NODE): run `apt-get install nodejs` (as .ci/run does) to run the playground's script without a browser");

    [GeneratedRegex(@"const blank = (/.+/u);")]
    private static partial Regex BlankRule();

    sealed record TypedResult(
        [property: System.Text.Json.Serialization.JsonPropertyName("posted")] List<string> Posted,
        [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] bool Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("resultHidden")] bool ResultHidden);
}
