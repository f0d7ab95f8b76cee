using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>The HTTP protocol of <c>POST /predict</c>, <c>/health</c>, <c>/model</c> and the OpenAPI document, against the real server.</summary>
public sealed class PredictEndpointTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    RunningServer Server => fixture.Server;

    [Fact]
    public void The_server_listens_on_loopback_only()
    {
        Assert.Equal("127.0.0.1", Server.Address.Host);
        Assert.NotEqual(0, Server.Address.Port);
        Assert.Equal("http://127.0.0.1:5000", TypedBertServerOptions.DefaultUrls);
    }

    [Fact]
    public async Task One_text_gets_every_label_with_probabilities_that_sum_to_one()
    {
        using var response = await Server.PostAsync(new { text = "a wonderful film" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
        var prediction = Assert.Single(body.Predictions);
        Assert.Equal(["negative", "positive"], prediction.Scores.Select(s => s.Label).Order());
        Assert.Equal(1f, prediction.Scores.Sum(s => s.Score), 4);
        Assert.Equal(prediction.Scores[0].Label, prediction.Label);
        Assert.True(prediction.Scores[0].Score >= prediction.Scores[1].Score, "scores come best first");
        Assert.Null(prediction.Labels);
        Assert.Equal(fixture.Direct.Predict("a wonderful film").ScoreOf("positive"), prediction.Scores.Single(s => s.Label == "positive").Score, 4);
    }

    [Fact]
    public async Task Many_texts_come_back_in_input_order_and_equal_PredictBatch()
    {
        string[] texts = ["terrible", "a long and winding sentence about a film that was quite good in the end", "ok", "I would not watch it again", "brilliant acting"];
        using var response = await Server.PostAsync(new { texts });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
        var expected = fixture.Direct.PredictBatch(texts);
        Assert.Equal(texts.Length, body.Predictions.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(expected[i].Label, body.Predictions[i].Label);
            foreach (var score in body.Predictions[i].Scores) Assert.Equal(expected[i].ScoreOf(score.Label), score.Score, 4);
        }
    }

    [Fact]
    public async Task Top_k_limits_the_labels_per_text()
    {
        using var response = await Server.PostAsync(new { texts = new[] { "fine", "bad" }, top_k = 1 });
        var body = (await response.Content.ReadFromJsonAsync<PredictResponse>())!;
        Assert.All(body.Predictions, p => Assert.Equal(p.Label, Assert.Single(p.Scores).Label));
    }

    [Theory]
    [InlineData("{\"texts\": [\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}", HttpStatusCode.RequestEntityTooLarge, "texts")]
    [InlineData("{\"texts\": []}", HttpStatusCode.BadRequest, "texts")]
    [InlineData("{}", HttpStatusCode.BadRequest, "texts")]
    [InlineData("{\"txt\": \"typo\"}", HttpStatusCode.BadRequest, "txt")]
    [InlineData("{\"texts\": [\"fine\", 3]}", HttpStatusCode.BadRequest, "texts[1]")]
    [InlineData("{\"text\": \"a\", \"texts\": [\"b\"]}", HttpStatusCode.BadRequest, "texts")]
    [InlineData("{\"text\": \"a\", \"top_k\": 0}", HttpStatusCode.BadRequest, "top_k")]
    [InlineData("[\"a list, not an object\"]", HttpStatusCode.BadRequest, null)]
    [InlineData("{\"text\": \"unterminated", HttpStatusCode.BadRequest, null)]
    public async Task Bad_requests_get_a_json_error_naming_the_field(string json, HttpStatusCode status, string? field)
    {
        using var response = await Server.PostJsonAsync(json);
        Assert.Equal(status, response.StatusCode);
        var error = await ReadError(response);
        Assert.False(string.IsNullOrWhiteSpace(error.Error));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public async Task An_over_long_text_is_refused_with_its_position()
    {
        using var response = await Server.PostAsync(new { texts = new[] { "short", new string('x', 201) } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ReadError(response);
        Assert.Equal("texts[1]", error.Field);
        Assert.Contains("201 characters; at most 200", error.Error);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413_before_it_is_parsed()
    {
        long limit = ServerFixture.Options(fixture.Model.Path).MaxRequestBodyBytes;
        string padding = new(' ', (int)limit);
        using var response = await Server.PostJsonAsync("{\"text\": \"x\"}" + padding);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains($"larger than {limit} bytes", (await ReadError(response)).Error);
    }

    [Fact]
    public async Task A_streamed_body_without_length_over_the_limit_is_refused_by_the_server()
    {
        long limit = ServerFixture.Options(fixture.Model.Path).MaxRequestBodyBytes;
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"text\": \"x\"}" + new string(' ', (int)limit))));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/predict") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Null((await ReadError(response)).Field);
    }

    [Fact]
    public async Task A_request_cannot_name_a_model_file_or_path()
    {
        string secret = Path.Combine(Path.GetDirectoryName(fixture.Model.Path)!, "secret.txt");
        await File.WriteAllTextAsync(secret, "TOP-SECRET-CONTENT");
        foreach (var field in new[] { "model", "model_path", "path", "file" })
        {
            using var refused = await Server.PostJsonAsync($"{{\"text\": \"x\", \"{field}\": {JsonSerializer.Serialize(secret)}}}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(field, (await ReadError(refused)).Field);
        }
        // A path given as the text is only text: it is classified, never opened.
        using var asText = await Server.PostAsync(new { text = secret });
        Assert.Equal(HttpStatusCode.OK, asText.StatusCode);
        Assert.DoesNotContain("TOP-SECRET", await asText.Content.ReadAsStringAsync());
        using var traversal = await Server.Client.GetAsync("/model/..%2F..%2Fsecret.txt");
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);
    }

    [Fact]
    public async Task Health_answers_ok()
    {
        using var response = await Server.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<HealthResponse>())!;
        Assert.Equal("ok", body.Status);
    }

    [Fact]
    public async Task Model_describes_labels_and_names_the_folder_without_its_path()
    {
        using var response = await Server.Client.GetAsync("/model");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string json = await response.Content.ReadAsStringAsync();
        var info = JsonSerializer.Deserialize<ModelInfo>(json)!;
        Assert.Equal(["negative", "positive"], info.Labels);
        Assert.Equal("single_label_classification", info.ProblemType);
        Assert.Equal("sentiment-model", info.Model);
        Assert.Equal("minilm-l6-uncased", info.BaseModel);
        Assert.Equal(fixture.Direct.MaxLength, info.MaxLength);
        Assert.DoesNotContain(Path.GetDirectoryName(fixture.Model.Path)!, json);
        Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), json);
    }

    [Fact]
    public async Task The_openapi_document_describes_predict()
    {
        using var response = await Server.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/predict", out var predict));
        Assert.True(predict.TryGetProperty("post", out var post));
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(paths.TryGetProperty("/model", out _));
        Assert.True(paths.TryGetProperty("/health", out _));
    }

    [Fact]
    public async Task Texts_are_never_logged_at_any_level()
    {
        const string marker = "uniquely-identifiable-private-text";
        using var response = await Server.PostAsync(new { text = marker });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(Server.Logs.Entries, e => e.EventId == 30);
        Assert.Contains(Server.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Trace); // the capture does see every level
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Contains(marker));
    }

    static async Task<ErrorResponse> ReadError(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<ErrorResponse>())!;
    }
}
