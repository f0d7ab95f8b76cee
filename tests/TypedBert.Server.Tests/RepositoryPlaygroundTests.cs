using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

/// <summary>
/// The playground in repository mode (<c>serve --repository</c>): <c>/</c> lists the models, each one's page is the single-model page
/// with its base at <c>/models/{name}/playground/</c>, and the requests the page makes from that base (model, predict) reach that model:
/// the page's predict answers exactly what <c>/models/{name}/predict</c> answers. The page is open, its requests are behind the API key.
/// </summary>
public sealed class RepositoryPlaygroundTests
{
    const string Key = "repository-playground-key";

    [Fact]
    public async Task Each_model_has_a_playground_page_whose_requests_reach_that_model_behind_the_key()
    {
        using var folder = new TemporaryFolder();
        string repository = folder.File("repository");
        using (var saved = new SavedModel()) Copy(saved.Path, Path.Combine(repository, "sentiment", "3"));
        var options = ModelRepositoryTests.Options(repository);
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            RepositoryPath = options.RepositoryPath, Urls = options.Urls, RepositoryPollInterval = options.RepositoryPollInterval, ApiKey = Key,
        });

        string list = await server.Client.GetStringAsync("/");
        Assert.Contains("<a href=\"/models/sentiment/playground/\">sentiment</a> version 3", list, StringComparison.Ordinal);

        using var page = await server.Client.GetAsync("/models/sentiment/playground/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        string pageBase = Regex.Match(html, "data-base=\"([^\"]*)\"").Groups[1].Value;
        Assert.Equal("/models/sentiment/playground/", pageBase);
        Assert.NotNull(page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync(pageBase + "playground/playground.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/models/nothing/playground/")).StatusCode);

        // What the page's script sends, from its base: without the key refused, with it the model's own answers.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(server, HttpMethod.Get, pageBase + "model", key: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(server, HttpMethod.Post, pageBase + "predict", key: null)).StatusCode);
        using var info = JsonDocument.Parse(await (await Send(server, HttpMethod.Get, pageBase + "model", Key)).Content.ReadAsStringAsync());
        Assert.Equal(["negative", "positive"], info.RootElement.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        using var fromPage = await Send(server, HttpMethod.Post, pageBase + "predict", Key);
        using var direct = await Send(server, HttpMethod.Post, "/models/sentiment/predict", Key);
        Assert.Equal(HttpStatusCode.OK, fromPage.StatusCode);
        Assert.Equal(await direct.Content.ReadAsStringAsync(), await fromPage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotImplemented, (await Send(server, HttpMethod.Post, pageBase + "explain", Key)).StatusCode);
    }

    static Task<HttpResponseMessage> Send(RunningServer server, HttpMethod method, string path, string? key)
    {
        var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post) request.Content = new StringContent("{\"text\": \"a warm and funny film\"}", Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Add("X-API-Key", key);
        return server.Client.SendAsync(request);
    }

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
