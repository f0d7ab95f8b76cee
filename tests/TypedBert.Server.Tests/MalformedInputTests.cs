using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// <c>POST /predict</c> with bodies built byte by byte, as broken clients send them: lone surrogate escapes (a JavaScript text
/// cut inside an emoji), bytes that are not UTF-8, bodies that are not labelled JSON, and texts with nothing to classify.
/// Each gets a JSON error that names the field (400) or the header (415), never a 500 with an empty body.
/// </summary>
public sealed class MalformedInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    RunningServer Server => fixture.Server;

    [Theory]
    [InlineData("""{"text": "abc \ud83d def"}""", "text", @"lone surrogate \ud83d at character 4", "first half")]
    [InlineData("""{"text": "abc \ud83d"}""", "text", @"lone surrogate \ud83d at character 4", "first half")]
    [InlineData("""{"text": "\uDE00 after"}""", "text", @"lone surrogate \ude00 at character 0", "second half")]
    [InlineData("""{"text": "swapped \ude00\ud83d"}""", "text", @"lone surrogate \ude00 at character 8", "second half")]
    [InlineData("""{"text": "\n\"é\\ \ud83d\ude00 then \ud83d"}""", "text", @"lone surrogate \ud83d at character 13", "first half")]
    [InlineData("""{"texts": ["fine", "ok", "\ud83d cut"]}""", "texts[2]", @"lone surrogate \ud83d at character 0", "first half")]
    public async Task A_lone_surrogate_escape_is_refused_with_the_field_and_the_position(string json, string field, string where, string half)
    {
        var error = await Refused(await Post(Encoding.UTF8.GetBytes(json)), HttpStatusCode.BadRequest, field);
        Assert.Contains(where, error.Error);
        Assert.Contains(half, error.Error);
        Assert.Contains("send whole characters", error.Error);
    }

    [Theory]
    [InlineData("""{"text": "a pair \ud83d\ude00 is an emoji"}""")]
    [InlineData("""{"text": "a backslash then u: \\ud83d is text"}""")]
    public async Task Surrogate_pairs_and_escaped_backslashes_are_text(string json)
    {
        using var response = await Post(Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("C3 28", "0xC3 at character 4")]          // a two-byte lead followed by '('
    [InlineData("C0 AF", "0xC0 at character 4")]          // an overlong '/'
    [InlineData("ED A0 BD", "0xED at character 4")]       // a surrogate encoded in UTF-8
    [InlineData("FF", "0xFF at character 4")]             // never in UTF-8
    [InlineData("E2 82", "0xE2 0x82 at character 4")]     // a three-byte sequence cut short
    public async Task Bytes_that_are_not_UTF8_are_refused_with_the_field_and_the_bytes(string hex, string where)
    {
        byte[] body = Bytes("{\"text\": \"abc ", Convert.FromHexString(hex.Replace(" ", "")), " def\"}");
        var error = await Refused(await Post(body), HttpStatusCode.BadRequest, "text");
        Assert.Contains("not valid UTF-8", error.Error);
        Assert.Contains(where, error.Error);
    }

    [Fact]
    public async Task A_batch_names_the_one_bad_text()
    {
        // Positions count characters as a JavaScript string does (UTF-16), not bytes: "über 😀 " is 8 of them and 11 bytes.
        byte[] body = Bytes("{\"texts\": [\"fine\", \"a caf\u00e9\", \"ok\", \"\u00fcber \U0001F600 ", new byte[] { 0xC3, 0x28 }, "\", \"last\"]}");
        var error = await Refused(await Post(body), HttpStatusCode.BadRequest, "texts[3]");
        Assert.Contains("0xC3 at character 8", error.Error);
    }

    [Fact]
    public async Task A_field_name_that_is_not_UTF8_is_refused_without_echoing_it()
    {
        byte[] body = Bytes("{\"te", new byte[] { 0xC3, 0x28 }, "xt\": \"fine\"}");
        var error = await Refused(await Post(body), HttpStatusCode.BadRequest, null);
        Assert.StartsWith("a field name is not valid UTF-8", error.Error);
    }

    [Fact]
    public async Task A_long_unknown_field_name_is_shortened_between_characters_not_inside_one()
    {
        // The 64th and 65th UTF-16 units of the name are the two halves of an emoji; a cut between them would be a lone surrogate.
        string name = new string('a', 63) + "\U0001F600" + "tail";
        var error = await Refused(await Post(Encoding.UTF8.GetBytes($"{{\"{name}\": \"x\"}}")), HttpStatusCode.BadRequest, new string('a', 63) + "…");
        Assert.Contains("unknown field", error.Error);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("text/plain; charset=utf-8")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("application/jsonx")]
    [InlineData("json")]
    public async Task A_body_not_labelled_JSON_is_refused_with_415(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"text\": \"fine\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var error = await Refused(await Server.Client.PostAsync("/predict", content), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("Content-Type: application/json", error.Error);
    }

    [Fact]
    public async Task A_body_without_content_type_is_refused_with_415()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"text\": \"fine\"}"));
        Assert.Null(content.Headers.ContentType);
        var error = await Refused(await Server.Client.PostAsync("/predict", content), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.StartsWith("the request has no Content-Type", error.Error);
    }

    [Fact]
    public async Task Form_data_is_refused_with_415()
    {
        using var form = new FormUrlEncodedContent([new("text", "fine")]);
        var error = await Refused(await Server.Client.PostAsync("/predict", form), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("application/x-www-form-urlencoded, not JSON", error.Error);

        using var multipart = new MultipartFormDataContent { { new StringContent("fine"), "text" } };
        error = await Refused(await Server.Client.PostAsync("/predict", multipart), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("multipart/form-data, not JSON", error.Error);
    }

    [Fact]
    public async Task A_charset_other_than_UTF8_is_refused_with_415()
    {
        var content = new ByteArrayContent(Encoding.Latin1.GetBytes("{\"text\": \"caf\u00e9\"}"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "iso-8859-1" };
        var error = await Refused(await Server.Client.PostAsync("/predict", content), HttpStatusCode.UnsupportedMediaType, "Content-Type");
        Assert.Contains("charset iso-8859-1", error.Error);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON;charset=\"UTF-8\"")]
    [InlineData("application/vnd.api+json")]
    [InlineData("application/problem+json; charset=utf-8")]
    public async Task Every_JSON_content_type_in_UTF8_is_read(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"text\": \"fine\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Server.Client.PostAsync("/predict", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single((await response.Content.ReadFromJsonAsync<PredictResponse>())!.Predictions);
    }

    [Theory]
    [InlineData("""{"text": ""}""", "text", "text is empty")]
    [InlineData("""{"text": "   "}""", "text", "text is only whitespace")]
    [InlineData("""{"text": "\t\r\n \u00a0\u3000"}""", "text", "text is only whitespace")]
    [InlineData("""{"text": "\u200b\ufeff\u00ad "}""", "text", "text is only whitespace or invisible characters")]
    [InlineData("""{"texts": ["fine", ""]}""", "texts[1]", "texts[1] is empty")]
    [InlineData("""{"texts": ["fine", "good", " \n "]}""", "texts[2]", "texts[2] is only whitespace")]
    public async Task A_text_with_nothing_to_classify_is_refused_with_its_field(string json, string field, string message)
    {
        var error = await Refused(await Post(Encoding.UTF8.GetBytes(json)), HttpStatusCode.BadRequest, field);
        Assert.StartsWith(message, error.Error);
        Assert.Contains("give a text with something to classify", error.Error);
    }

    [Theory]
    [InlineData("""{"text": " a "}""")]
    [InlineData("""{"text": "\u200b."}""")]
    [InlineData("""{"text": "\ud83d\ude00"}""")]
    public async Task One_visible_character_is_enough(string json)
    {
        using var response = await Post(Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task No_malformed_request_reaches_the_batcher_or_logs_an_error()
    {
        long before = Server.Batcher.Statistics.Requests;
        var bodies = new[]
        {
            Encoding.UTF8.GetBytes("""{"text": "abc \ud83d def"}"""),
            Bytes("{\"text\": \"abc ", new byte[] { 0xC3, 0x28 }, "\"}"),
            Encoding.UTF8.GetBytes("""{"texts": ["fine", " "]}"""),
        };
        foreach (byte[] body in bodies)
        {
            using var response = await Post(body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(before, Server.Batcher.Statistics.Requests);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Level >= LogLevel.Error || e.Exception is not null);
    }

    [Fact]
    public async Task The_openapi_document_declares_415_and_describes_the_refusals()
    {
        using var response = await Server.Client.GetAsync("/openapi/v1.json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var post = document.RootElement.GetProperty("paths").GetProperty("/predict").GetProperty("post");
        var responses = post.GetProperty("responses");
        Assert.Contains("Content-Type", responses.GetProperty("415").GetProperty("description").GetString());
        string badRequest = responses.GetProperty("400").GetProperty("description").GetString()!;
        Assert.Contains("whitespace-only", badRequest);
        Assert.Contains("lone UTF-16 surrogate", badRequest);
        Assert.Contains("charset=utf-8", post.GetProperty("requestBody").GetProperty("description").GetString());
    }

    Task<HttpResponseMessage> Post(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return Server.Client.PostAsync("/predict", content);
    }

    static async Task<ErrorResponse> Refused(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        using (response)
        {
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
            var error = JsonSerializer.Deserialize<ErrorResponse>(body)!;
            Assert.False(string.IsNullOrWhiteSpace(error.Error), body);
            Assert.Equal(field, error.Field);
            return error;
        }
    }

    static byte[] Bytes(params object[] parts) =>
        [.. parts.SelectMany(part => part switch
        {
            string text => Encoding.UTF8.GetBytes(text),
            byte[] bytes => bytes,
            _ => throw new ArgumentException($"cannot encode {part.GetType()}"),
        })];
}
