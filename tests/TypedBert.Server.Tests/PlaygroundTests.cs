using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground page and the OpenAPI reference over real HTTP, without a browser (PlaygroundBrowserTests drives the page):
/// every file they load comes from this server, they can be switched off, and GET /model tells the page what it shows.
/// </summary>
public sealed partial class PlaygroundTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    RunningServer Server => fixture.Server;

    [Fact]
    public async Task The_page_and_its_files_come_from_the_server_under_a_policy_that_allows_no_other_host()
    {
        using var page = await Server.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        string csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("connect-src 'self';", csp);
        string html = await page.Content.ReadAsStringAsync();

        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("/playground/playground.js", references);
        Assert.Contains("/playground/playground.css", references);
        foreach (string reference in references)
        {
            Assert.StartsWith("/", reference);   // this server, never another host (no CDN)
            Assert.False(reference.StartsWith("//", StringComparison.Ordinal), reference);
        }

        foreach (var (path, type) in new[] { ("/playground/playground.js", "text/javascript"), ("/playground/playground.css", "text/css") })
        {
            using var file = await Server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Equal(type, file.Content.Headers.ContentType?.MediaType);
            string text = await file.Content.ReadAsStringAsync();
            Assert.DoesNotContain("http://", text);
            Assert.DoesNotContain("https://", text);
        }
        string script = await Server.Client.GetStringAsync("/playground/playground.js");
        Assert.Contains("base + 'predict'", script);   // the page asks the same endpoint as every client
        Assert.DoesNotContain("localStorage", script);  // the API key stays in memory
        Assert.DoesNotContain("sessionStorage", script);
        Assert.DoesNotContain("document.cookie", script);
    }

    [Fact]
    public async Task Under_a_prefix_the_page_points_at_the_prefixed_endpoints()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddTypedBertServer(ServerFixture.Options(fixture.Model.Path));
        await using var app = builder.Build();
        app.MapTypedBert("/api");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(TypedBertServer.Addresses(app).Single()) };

        string html = await client.GetStringAsync("/api");
        Assert.Contains("data-base=\"/api/\"", html);
        Assert.Contains("src=\"/api/playground/playground.js\"", html);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/playground/playground.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/scalar/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/")).StatusCode);
        await app.StopAsync();
    }

    [Fact]
    public async Task The_openapi_reference_loads_only_files_of_this_server()
    {
        using var response = await Server.Client.GetAsync("/scalar/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string html = await response.Content.ReadAsStringAsync();
        // Scalar writes the document's route relative to the application's base ("openapi/v1.json") into its configuration.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"withDefaultFonts\":false", html);   // the default fonts come from a CDN

        var references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(references);
        foreach (string reference in references)
        {
            Assert.False(reference.Contains("://", StringComparison.Ordinal) || reference.StartsWith("//", StringComparison.Ordinal), $"{reference} is on another host");
            using var file = await Server.Client.GetAsync(new Uri(new Uri(Server.Address, "/scalar/"), reference));
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{reference}: {file.StatusCode}");
        }
    }

    [Fact]
    public async Task Switched_off_neither_page_is_served_and_the_api_still_answers()
    {
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = fixture.Model.Path, Urls = "http://127.0.0.1:0", Playground = false, OpenApiUi = false,
        });
        foreach (string path in new[] { "/", "/playground/playground.js", "/playground/playground.css", "/scalar/" })
            Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.PostAsync(new { text = "still here" })).StatusCode);
    }

    [Fact]
    public async Task With_an_API_key_the_page_is_open_and_what_it_shows_is_not()
    {
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = fixture.Model.Path, Urls = "http://127.0.0.1:0", ApiKey = "playground-key-0123456789",
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/playground/playground.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/model")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.PostAsync(new { text = "no key" })).StatusCode);
    }

    [Fact]
    public async Task Model_tells_the_page_the_long_text_strategy_and_for_multi_label_the_thresholds()
    {
        var single = await Server.Client.GetFromJsonAsync<ModelInfo>("/model");
        Assert.Null(single!.Thresholds);
        Assert.Equal("truncate", single.LongText!.Strategy);

        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "tickets");
        using (var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["billing", "bug", "login"], ProblemType.MultiLabel))
            classifier.Save(path);
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = path, Urls = "http://127.0.0.1:0",
            LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, WindowTokens = 64, Aggregation = WindowAggregation.Max },
        });
        var info = (await server.Client.GetFromJsonAsync<ModelInfo>("/model"))!;
        Assert.Equal("multi_label_classification", info.ProblemType);
        Assert.Equal([0.5f, 0.5f, 0.5f], info.Thresholds);
        Assert.Equal(new LongTextInfo("sliding_window", 64, 31, "max"), info.LongText);
    }

    [GeneratedRegex("(?:src|href)=\"([^\"]*)\"")]
    private static partial Regex Reference();
}
