using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;
using Xunit.Abstractions;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground in a real browser: the system's headless Chromium, driven over the DevTools protocol, opens the page of a
/// server that has an API key, is told it needs one, gets it typed in, classifies a typed text, and shows bars that must
/// equal what <c>POST /predict</c> answers for the same text. Skipped, with the reason, where no Chromium is installed.
/// </summary>
/// <remarks>
/// The screenshot the test takes goes to the test's output folder; with <c>TYPEDBERT_UPDATE_SCREENSHOTS=1</c> it also replaces
/// docs/playground.png, the README's picture. <c>TYPEDBERT_PLAYGROUND_MODEL</c> serves another model folder (a fine-tuned
/// one makes a more telling picture than the untrained head used by default); the checks are the same for any model.
/// </remarks>
public sealed class PlaygroundBrowserTests(SavedModel model, ITestOutputHelper output) : IClassFixture<SavedModel>
{
    const string Key = "playground-browser-key-0123456789";
    // Reads as a review to a sentiment model and as a billing complaint during an outage to the support-ticket model of the README's picture.
    const string Text = "The internet has been down since Monday and I was still charged the full monthly fee.";
    static readonly TimeSpan PageLimit = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Typed_text_gets_bars_that_equal_POST_predict_with_the_key_typed_into_the_page()
    {
        string? executable = Chromium.FindExecutable();
        Skip.If(executable is null,
            "no Chromium at /usr/bin/chromium (or TYPEDBERT_CHROMIUM): install Debian's package with `apt-get install chromium` (.ci/run does) to run the playground's browser test");

        string modelPath = Environment.GetEnvironmentVariable("TYPEDBERT_PLAYGROUND_MODEL") is { Length: > 0 } other ? other : model.Path;
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = modelPath, Urls = "http://127.0.0.1:0", ApiKey = Key });
        await using var browser = await Chromium.LaunchAsync(executable!, 820, 640);
        await using var page = await browser.OpenAsync(server.Address);

        // Without the key the page can load but not read the model: it asks for the key.
        await page.WaitUntilAsync("document.readyState === 'complete' && !document.getElementById('key').hidden", PageLimit);
        Assert.Contains("API key", (await page.EvaluateAsync("document.getElementById('status').textContent")).GetString());

        await page.TypeAsync("#api-key", Key);
        await page.ClickAsync("#use-key");
        await page.WaitUntilAsync("document.getElementById('key').hidden && document.getElementById('status').textContent === 'Ready.'", PageLimit);

        // The panel shows what GET /model says.
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/model");
        authorized.Headers.Add("X-API-Key", Key);
        using var modelResponse = await server.Client.SendAsync(authorized);
        var info = (await modelResponse.Content.ReadFromJsonAsync<ModelInfo>())!;
        Assert.Equal(info.Model, await Shown("model-name"));
        Assert.Equal(string.Join(", ", info.Labels), await Shown("labels"));
        Assert.Equal(info.ProblemType, await Shown("problem-type"));
        Assert.Equal(info.BaseModel ?? "not recorded", await Shown("base-model"));

        await page.TypeAsync("#text", Text);
        await page.ClickAsync("#classify");
        await page.WaitUntilAsync("document.querySelectorAll('#bars .bar').length > 0", PageLimit);
        var bars = (await page.EvaluateAsync("""
            [...document.querySelectorAll('#bars .bar')].map(b => ({
              label: b.dataset.label,
              score: Number(b.dataset.score),
              width: parseFloat(b.querySelector('.fill').style.width),
              shown: b.querySelector('.value').textContent,
            }))
            """)).EnumerateArray().ToList();
        string verdict = (await page.EvaluateAsync("document.getElementById('verdict').dataset.label")).GetString()!;

        // The same text through POST /predict, as any client sends it.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = JsonContent.Create(new { text = Text }) };
        request.Headers.Add("X-API-Key", Key);
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = Assert.Single((await response.Content.ReadFromJsonAsync<PredictResponse>())!.Predictions);

        Assert.Equal(expected.Label, verdict);
        Assert.Equal(expected.Label, bars[0].GetProperty("label").GetString());   // the top bar is the predicted label
        Assert.Equal(expected.Scores.Select(s => s.Label), bars.Select(b => b.GetProperty("label").GetString()));
        Assert.Equal(info.Labels.Order(), bars.Select(b => b.GetProperty("label").GetString()!).Order());   // a bar for every label
        for (int i = 0; i < bars.Count; i++)
        {
            double score = bars[i].GetProperty("score").GetDouble();
            // A tolerance, not rounding to n places: the JSON float "0.590425" read as float and widened differs from the
            // browser's double in the ninth place, enough to round to different fifth places.
            Assert.Equal(expected.Scores[i].Score, score, 1e-6);
            Assert.Equal(score * 100, bars[i].GetProperty("width").GetDouble(), 0.001);   // the bar's length is the probability
            Assert.Equal($"{score * 100:0.00} %", bars[i].GetProperty("shown").GetString());
        }

        // The key was used from memory only.
        Assert.Equal("0|0||", (await page.EvaluateAsync("`${localStorage.length}|${sessionStorage.length}|${document.cookie}|${document.getElementById('api-key').value}`")).GetString());

        byte[] png = await page.ScreenshotAsync();
        Assert.True(png.Length > 10_000 && png[..4].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }), $"not a screenshot: {png.Length} bytes");
        string shot = Path.Combine(AppContext.BaseDirectory, "playground.png");
        await File.WriteAllBytesAsync(shot, png);
        if (Environment.GetEnvironmentVariable("TYPEDBERT_UPDATE_SCREENSHOTS") == "1")
            await File.WriteAllBytesAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "playground.png"), png);
        output.WriteLine($"{executable}: {string.Join(", ", bars.Select(b => $"{b.GetProperty("label").GetString()} {b.GetProperty("shown").GetString()}"))}; screenshot {shot}");

        async Task<string?> Shown(string id) => (await page.EvaluateAsync($"document.getElementById('{id}').textContent")).GetString();
    }
}
