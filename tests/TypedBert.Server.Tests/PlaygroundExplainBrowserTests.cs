using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TypedBert.Server.Explain;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground's explanations in the system's headless Chromium: after a prediction, a click on a label's bar shows the
/// text with every word coloured by its attribution for that label, which must be what <c>POST /explain</c> answers for the
/// same text and label when the test asks it directly (same words, same scores in the titles, green for positive, red for
/// negative). The server needs an API key, so the page's key must reach <c>/explain</c> as it reaches <c>/predict</c>.
/// </summary>
/// <remarks>
/// With <c>TYPEDBERT_UPDATE_SCREENSHOTS=1</c> the screenshot of the highlighted text replaces docs/playground-explain.png;
/// <c>TYPEDBERT_PLAYGROUND_MODEL</c> serves another model folder, as for <see cref="PlaygroundBrowserTests"/>.
/// </remarks>
public sealed class PlaygroundExplainBrowserTests(SavedModel model, ITestOutputHelper output) : IClassFixture<SavedModel>
{
    const string Key = "playground-explain-key-0123456789";
    const string Text = "The internet has been down since Monday and I was still charged the full monthly fee.";

    [Fact]
    public async Task Clicking_a_label_colours_each_word_by_the_attribution_POST_explain_gives_it()
    {
        string modelPath = Environment.GetEnvironmentVariable("TYPEDBERT_PLAYGROUND_MODEL") is { Length: > 0 } other ? other : model.Path;
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = modelPath, Urls = "http://127.0.0.1:0", ApiKey = Key });
        await using var browser = await BrowserPage.OpenAsync(820, 860);

        await browser.RunAsync(nameof(Clicking_a_label_colours_each_word_by_the_attribution_POST_explain_gives_it), async page =>
        {
            await page.GotoAsync(server.Address.ToString());
            await page.GetByLabel("This server needs an API key").PressSequentiallyAsync(Key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ready.");

            await page.GetByLabel("Text to classify").FillAsync(Text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Classify" }).ClickAsync();
            var bars = page.Locator("#bars .bar");
            await Expect(bars.First).ToBeVisibleAsync();
            await Expect(page.Locator("#explanation")).ToBeHiddenAsync();

            // The last bar: a label other than the predicted one, so a page that explains the prediction instead fails.
            string label = (await bars.Last.GetAttributeAsync("data-label"))!;
            Assert.NotEqual(await page.Locator("#verdict").GetAttributeAsync("data-label"), label);
            await bars.Last.ClickAsync();
            await Expect(page.Locator("#explanation")).ToBeVisibleAsync();
            await Expect(page.Locator("#explain-label")).ToHaveAttributeAsync("data-label", label);
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("");

            // The oracle: the same text and label sent to POST /explain by the test itself.
            var expected = await ExplainAsync(server, Text, label);
            Assert.Equal(label, expected.Label);
            double max = expected.Words.Max(w => Math.Abs(w.Score));
            Assert.True(max > 0, "the model gives every word a zero attribution: nothing to colour");

            var words = page.Locator("#explained-text .word");
            await Expect(words).ToHaveCountAsync(expected.Words.Count);
            // The text reads as typed: words and the characters between them, nothing added or lost.
            Assert.Equal(Text, await page.Locator("#explained-text").TextContentAsync());
            for (int i = 0; i < expected.Words.Count; i++)
            {
                var word = words.Nth(i);
                var oracle = expected.Words[i];
                Assert.Equal(Text.Substring(oracle.Start, oracle.Length), await word.TextContentAsync());
                string title = (await word.GetAttributeAsync("title"))!;
                Assert.StartsWith(label + ": ", title, StringComparison.Ordinal);
                double shown = double.Parse(title[(label.Length + 2)..], NumberStyles.Float, CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(shown - oracle.Score) <= 1e-3 * max, $"word {i} \"{oracle.Word}\": the page shows {shown}, POST /explain gives {oracle.Score}");

                string classes = (await word.GetAttributeAsync("class"))!;
                string sign = oracle.Score > 0 ? "pos" : oracle.Score < 0 ? "neg" : "zero";
                Assert.Contains(sign, classes.Split(' '));
                // The colour's strength: four buckets of |score| / max.
                int bucket = oracle.Score == 0 ? 0 : (int)Math.Clamp(Math.Ceiling(Math.Abs(oracle.Score) / max * 4), 1, 4);
                Assert.True(bucket == 0 || classes.Split(' ').Contains($"b{bucket}"), $"word {i} \"{oracle.Word}\" ({oracle.Score} of max {max}) has classes \"{classes}\", expected b{bucket}");
            }

            // Green and red are drawn: the browser applies the style sheet's colours (no inline style under the page's CSP).
            var strongest = expected.Words.Select((w, i) => (w, i)).MaxBy(p => Math.Abs(p.w.Score));
            string background = await words.Nth(strongest.i).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            var rgb = background.Split('(', ')')[1].Split(',').Select(c => int.Parse(c.Trim(), CultureInfo.InvariantCulture)).ToArray();
            Assert.True(strongest.w.Score > 0 ? rgb[1] > rgb[0] : rgb[0] > rgb[1], $"the strongest word ({strongest.w.Score}) is drawn in {background}");

            byte[] png = await page.ScreenshotAsync(new() { FullPage = true });
            string shot = Path.Combine(AppContext.BaseDirectory, "playground-explain.png");
            await File.WriteAllBytesAsync(shot, png);
            if (Environment.GetEnvironmentVariable("TYPEDBERT_UPDATE_SCREENSHOTS") == "1")
                await File.WriteAllBytesAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "playground-explain.png"), png);
            output.WriteLine($"{label}: {string.Join(" ", expected.Words.Select(w => $"{w.Word} {w.Score:0.000}"))}; screenshot {shot}");
        });
    }

    static async Task<ExplainResponse> ExplainAsync(RunningServer server, string text, string label)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/explain") { Content = JsonContent.Create(new { text, label }) };
        request.Headers.Add("X-API-Key", Key);
        using var response = await server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, raw);
        return JsonSerializer.Deserialize<ExplainResponse>(raw, JsonSerializerOptions.Web)!;
    }
}
