using System.Net;
using System.Net.Http.Headers;
using System.Text;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>With an API key set, only requests that carry it are served, and the key never reaches the logs.</summary>
public sealed class ApiKeyTests(SavedModel model) : IClassFixture<SavedModel>, IAsyncLifetime
{
    const string Key = "k3y-that-must-never-be-logged-0123456789";
    RunningServer server = null!;

    public async Task InitializeAsync() =>
        server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", ApiKey = Key });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Requests_need_the_key_in_a_header_and_the_key_is_never_logged()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/predict", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/predict", "X-API-Key", Key + "x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/predict", "X-API-Key", Key[..^1])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/predict", "Authorization", "Basic " + Key)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/model", null, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send("/openapi/v1.json", null, null)).StatusCode);

        var refused = await Send("/predict", null, null);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"error\":", await refused.Content.ReadAsStringAsync());
        Assert.Contains("Bearer", refused.Headers.WwwAuthenticate.ToString());

        Assert.Equal(HttpStatusCode.OK, (await Send("/predict", "X-API-Key", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/predict", "Authorization", "Bearer " + Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/model", "X-API-Key", Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Send("/health", null, null)).StatusCode);

        var logs = server.Logs.Entries;
        Assert.Contains(logs, e => e.EventId == 20); // the refusals were logged...
        Assert.DoesNotContain(logs, e => e.Contains(Key) || e.Contains(Key[..^1])); // ...without the key, at any level
    }

    [Fact]
    public void The_options_do_not_print_the_key()
    {
        var options = new TypedBertServerOptions { ModelPath = model.Path, ApiKey = Key };
        Assert.DoesNotContain(Key, options.ToString());
    }

    async Task<HttpResponseMessage> Send(string path, string? header, string? value)
    {
        bool post = path == "/predict";
        using var request = new HttpRequestMessage(post ? HttpMethod.Post : HttpMethod.Get, path);
        if (post) request.Content = new StringContent("{\"text\": \"fine\"}", Encoding.UTF8, "application/json");
        if (header == "Authorization") request.Headers.Authorization = AuthenticationHeaderValue.Parse(value!);
        else if (header is not null) request.Headers.Add(header, value);
        return await server.Client.SendAsync(request);
    }
}
