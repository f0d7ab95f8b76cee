using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground in a real browser: the system's headless Chromium, driven by Playwright, opens the page of a real server
/// (127.0.0.1, with an API key) as a person would: it is told it needs a key, types it, types a text, presses Classify and
/// reads the label and the bars, which must equal what <c>POST /predict</c> answers for the same text. Fails, saying how to
/// install it, where no Chromium is installed; on any failure the page's screenshot and HTML are saved and named.
/// </summary>
/// <remarks>
/// The screenshot of the classified text goes to the test's output folder; with <c>TYPEDBERT_UPDATE_SCREENSHOTS=1</c> it also
/// replaces docs/playground.png, the README's picture. <c>TYPEDBERT_PLAYGROUND_MODEL</c> serves another model folder (a
/// fine-tuned one makes a more telling picture than the untrained head used by default); the checks are the same for any model.
/// </remarks>
public sealed class PlaygroundBrowserTests(SavedModel model, ITestOutputHelper output) : IClassFixture<SavedModel>
{
    const string Key = "playground-browser-key-0123456789";
    // Reads as a review to a sentiment model and as a billing complaint during an outage to the support-ticket model of the README's picture.
    const string Text = "The internet has been down since Monday and I was still charged the full monthly fee.";

    [Fact]
    public async Task Typed_text_gets_the_label_and_bars_of_POST_predict_with_the_key_typed_into_the_page()
    {
        string modelPath = Environment.GetEnvironmentVariable("TYPEDBERT_PLAYGROUND_MODEL") is { Length: > 0 } other ? other : model.Path;
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = modelPath, Urls = "http://127.0.0.1:0", ApiKey = Key });
        await using var browser = await BrowserPage.OpenAsync(820, 640);

        await browser.RunAsync(nameof(Typed_text_gets_the_label_and_bars_of_POST_predict_with_the_key_typed_into_the_page), async page =>
        {
            await page.GotoAsync(server.Address.ToString());

            // Without the key the page loads but cannot read the model: it asks for the key, and the person types it.
            await Expect(page.Locator("#status")).ToContainTextAsync("API key");
            var keyBox = page.GetByLabel("This server needs an API key");
            await Expect(keyBox).ToBeVisibleAsync();
            await keyBox.PressSequentiallyAsync(Key);
            await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ready.");
            await Expect(keyBox).ToBeHiddenAsync();

            // The panel shows what GET /model says.
            var info = await GetModelAsync(server);
            await Expect(page.Locator("#model-name")).ToHaveTextAsync(info.Model);
            await Expect(page.Locator("#labels")).ToHaveTextAsync(string.Join(", ", info.Labels));
            await Expect(page.Locator("#problem-type")).ToHaveTextAsync(info.ProblemType);
            await Expect(page.Locator("#base-model")).ToHaveTextAsync(info.BaseModel ?? "not recorded");

            await page.GetByLabel("Text to classify").FillAsync(Text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Classify" }).ClickAsync();
            var bars = page.Locator("#bars .bar");
            await Expect(bars).ToHaveCountAsync(info.Labels.Count);

            // The same text through POST /predict, as any client sends it: the oracle for what the page shows.
            var expected = await PredictAsync(server, Text);
            Assert.Equal(HttpStatusCode.OK, expected.Status);
            var prediction = Assert.Single(expected.Body!.Predictions);

            // What a person reads: the verdict line, then one bar per label, top first, each with its name and percentage.
            string top = Percent(prediction.Scores[0].Score);
            await Expect(page.Locator("#verdict")).ToHaveTextAsync($"{prediction.Label} ({top})");
            Assert.Equal(prediction.Scores.Select(s => s.Label).ToList(), await page.Locator("#bars .bar .name").AllTextContentsAsync());
            Assert.Equal(prediction.Scores.Select(s => Percent(s.Score)).ToList(), await page.Locator("#bars .bar .value").AllTextContentsAsync());
            for (int i = 0; i < prediction.Scores.Count; i++)
            {
                // The bar's drawn length is its probability: the fill's width over the track's, in pixels as laid out.
                var fill = await bars.Nth(i).Locator(".fill").BoundingBoxAsync();
                var track = await bars.Nth(i).Locator(".track").BoundingBoxAsync();
                Assert.Equal(prediction.Scores[i].Score, fill!.Width / track!.Width, 0.01);
            }

            // The key was used from memory only.
            Assert.Equal("0|0||", await page.EvaluateAsync<string>("`${localStorage.length}|${sessionStorage.length}|${document.cookie}|${document.getElementById('api-key').value}`"));

            byte[] png = await page.ScreenshotAsync();
            Assert.True(png.Length > 10_000 && png[..4].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), $"not a screenshot: {png.Length} bytes");
            string shot = Path.Combine(AppContext.BaseDirectory, "playground.png");
            await File.WriteAllBytesAsync(shot, png);
            if (Environment.GetEnvironmentVariable("TYPEDBERT_UPDATE_SCREENSHOTS") == "1")
                await File.WriteAllBytesAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "playground.png"), png);
            output.WriteLine($"{SystemChromium.Executable()}: {string.Join(", ", prediction.Scores.Select(s => $"{s.Label} {Percent(s.Score)}"))}; screenshot {shot}");
        });
    }

    [Fact]
    public async Task A_text_with_nothing_to_classify_is_refused_by_the_page_as_by_the_server()
    {
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0" });
        await using var browser = await BrowserPage.OpenAsync(820, 640);
        await browser.RunAsync(nameof(A_text_with_nothing_to_classify_is_refused_by_the_page_as_by_the_server), async page =>
        {
            await page.GotoAsync(server.Address.ToString());
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Ready.");

            // Empty, whitespace, and zero-width spaces (format characters the tokenizer drops): one page, one server, all three.
            foreach (string blank in new[] { "", "   \n\t ", "\u200B \u200B" })
                await RefusedAsync(page, blank);
        });

        async Task RefusedAsync(IPage page, string blank)
        {
            // A real text first, so the refusal must also take its bars away.
            await page.GetByLabel("Text to classify").FillAsync(Text);
            await page.GetByRole(AriaRole.Button, new() { Name = "Classify" }).ClickAsync();
            await Expect(page.Locator("#result")).ToBeVisibleAsync();

            await page.GetByLabel("Text to classify").FillAsync(blank);
            await page.GetByRole(AriaRole.Button, new() { Name = "Classify" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Type a text first: an empty or whitespace-only text has nothing to classify.");
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\berror\b"));
            await Expect(page.Locator("#result")).ToBeHiddenAsync();

            // The server refuses the same text, naming the field: the page's rule is the server's.
            var answer = await PredictAsync(server, blank);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.Contains("\"text\"", answer.Raw);
        }
    }

    static string Percent(double score) => (score * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    static async Task<ModelInfo> GetModelAsync(RunningServer server)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/model");
        request.Headers.Add("X-API-Key", Key);
        using var response = await server.Client.SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<ModelInfo>())!;
    }

    static async Task<(HttpStatusCode Status, PredictResponse? Body, string Raw)> PredictAsync(RunningServer server, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { text }) };
        request.Headers.Add("X-API-Key", Key);
        using var response = await server.Client.SendAsync(request);
        string raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.IsSuccessStatusCode ? JsonSerializer.Deserialize<PredictResponse>(raw, JsonSerializerOptions.Web) : null, raw);
    }
}
