using System.Net;
using System.Net.Http.Json;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

/// <summary>The server reads long texts as the model was saved to, and bounds the windows one request may cost.</summary>
public sealed class LongTextServerTests
{
    [Fact]
    public async Task The_saved_strategy_is_served_and_a_request_over_the_window_limit_gets_413_with_the_limit()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "windows");
        using (var created = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        using (var classifier = created.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 32, Stride = 30 } }))
        {
            classifier.Save(path);
        }
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = path, Urls = "http://127.0.0.1:0", MaxWindowsPerRequest = 4 });
        var info = (await server.Client.GetFromJsonAsync<ModelInfo>("/model"))!;
        Assert.Equal(new LongTextInfo("sliding_window", 32, 30, "mean"), info.LongText); // no LongText option: the model's own

        string fourWindows = string.Join(' ', Enumerable.Repeat("word", 30 * 4)); // 120 tokens: windows at 0, 30, 60, 90
        using (var fits = await server.PostAsync(new { text = fourWindows })) // exactly at the limit
            Assert.Equal(HttpStatusCode.OK, fits.StatusCode);

        using var response = await server.PostAsync(new { texts = new[] { fourWindows, "a second text" } });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<ErrorResponse>())!;
        Assert.Equal("5 windows of 32 tokens; at most 4 per request", error.Error);
        Assert.Equal("texts", error.Field);
    }

    [Fact]
    public void A_window_out_of_range_stops_the_server_at_start_up_with_the_allowed_range()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "model");
        using (var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"])) classifier.Save(path);
        var error = Assert.ThrowsAny<Exception>(() => RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = path, Urls = "http://127.0.0.1:0", LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 64, Stride = 64 },
        }).GetAwaiter().GetResult());
        Assert.Contains("stride 64 is out of range: it must be between 1 and the window's 62 content tokens", error.ToString());
    }
}
