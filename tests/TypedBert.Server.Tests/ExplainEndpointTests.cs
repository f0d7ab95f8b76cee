using System.Net;
using System.Text;
using System.Text.Json;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary><c>POST /explain</c>: behind the API key, with /predict's limits, and its words are the text's.</summary>
public sealed class ExplainEndpointTests(SavedModel model) : IClassFixture<SavedModel>, IAsyncLifetime
{
    const string Key = "explain-key-0123456789";
    RunningServer server = null!;

    public async Task InitializeAsync() =>
        server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", ApiKey = Key, MaxRequestBodyBytes = 4096 });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_label_is_explained_word_by_word_with_the_offsets_of_the_text()
    {
        const string text = "A truly  wonderful film";
        var response = await Post($$"""{"text": "{{text}}", "label": "positive"}""");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("positive", root.GetProperty("label").GetString());
        var words = root.GetProperty("words").EnumerateArray().ToList();
        // By hand: A@0, truly@2, wonderful@9, film@19.
        Assert.Equal([("A", 0), ("truly", 2), ("wonderful", 9), ("film", 19)], words.Select(w => (w.GetProperty("word").GetString(), w.GetProperty("start").GetInt32())));
        Assert.All(words, w => Assert.Equal(w.GetProperty("word").GetString(), text.Substring(w.GetProperty("start").GetInt32(), w.GetProperty("length").GetInt32())));
        double sum = words.Sum(w => w.GetProperty("score").GetDouble());
        double difference = root.GetProperty("logit").GetDouble() - root.GetProperty("baseline_logit").GetDouble();
        Assert.True(Math.Abs(sum - difference) < 0.01, $"sum {sum}, logit difference {difference}");
        Assert.Equal(2, root.GetProperty("scores").GetArrayLength());
    }

    [Fact]
    public async Task Refusals_name_the_field_and_the_allowed_values()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post("""{"text": "fine"}""", key: null)).StatusCode);

        var unknown = await Post("""{"text": "fine", "label": "neutral"}""");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("negative, positive", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (int steps in new[] { 0, 10_000 })
        {
            var refused = await Post($$"""{"text": "fine", "steps": {{steps}}}""");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("from 1 to 1000", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await Post("""{"text": "  "}""")).StatusCode);
        // Last: the server closes the connection after a body it did not read.
        var tooLarge = await Post($$"""{"text": "{{new string('a', 5000)}}"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_explain()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Add("X-API-Key", Key);
        using var document = JsonDocument.Parse(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync());
        var explain = document.RootElement.GetProperty("paths").GetProperty("/explain").GetProperty("post");
        Assert.True(explain.GetProperty("responses").TryGetProperty("413", out _));
        Assert.Contains("label", explain.GetProperty("requestBody").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    async Task<HttpResponseMessage> Post(string body, string? key = Key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/explain") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-API-Key", key);
        return await server.Client.SendAsync(request);
    }
}
