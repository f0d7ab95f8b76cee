using System.Net;
using System.Text;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>
/// <c>typedbert serve</c> as a user runs it: the real executable in a child process on 127.0.0.1, asked for port 0 so that the system
/// picks a free one (no probing for a port that another process could take first), answering a POST /predict.
/// </summary>
public class ServeCommandTests
{
    // Bounds against hanging for ever when something is broken; no assertion depends on how long anything takes.
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Serve_answers_a_predict_request_with_the_models_scores_and_stops_on_SIGTERM()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("model");
        const string Text = "a warm and funny film";
        float expectedPositive;
        using (var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
        {
            classifier.Save(model);
            expectedPositive = classifier.Predict(Text).ScoreOf("positive");
        }

        await using var server = ServeProcess.Start(folder.Path, model);
        try
        {
            Uri address = await server.Listening(HangGuard);
            Assert.Equal("127.0.0.1", address.Host);
            Assert.NotEqual(0, address.Port);

            using var client = new HttpClient { BaseAddress = address, Timeout = HangGuard };
            using var response = await client.PostAsync("/predict", new StringContent(JsonSerializer.Serialize(new { text = Text }), Encoding.UTF8, "application/json"));
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");

            using var json = JsonDocument.Parse(body);
            var prediction = Assert.Single(json.RootElement.GetProperty("predictions").EnumerateArray());
            var scores = prediction.GetProperty("scores").EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("score").GetSingle());
            Assert.Equal(["negative", "positive"], scores.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(expectedPositive, scores["positive"], 4);
            Assert.Equal(1f, scores.Values.Sum(), 4);
            Assert.Equal(expectedPositive >= 0.5f ? "positive" : "negative", prediction.GetProperty("label").GetString());

            // SIGTERM, as a service manager stops it: the host shuts down gracefully and the command exits with 0.
            var term = ProcessRunner.Run("kill", ["-TERM", server.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], folder.Path, HangGuard);
            Assert.True(term.ExitCode == 0, term.ToString());
            Assert.True(server.Process.WaitForExit(HangGuard), "typedbert serve did not stop after SIGTERM");
            server.Process.WaitForExit();   // the asynchronous readers have drained both streams
            Assert.True(server.Process.ExitCode == 0, $"exit code {server.Process.ExitCode}\n{server.Log}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"typedbert serve: {e.Message}\n{server.Log}", e);
        }
    }
}
