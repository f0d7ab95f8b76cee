using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>
/// A Kubernetes rolling update sends SIGTERM to a server that has requests in flight: every request it accepted before the signal
/// must get its answer, and the process must then exit on its own (0). The real <c>typedbert serve</c> in a child process.
/// </summary>
public class ServeDrainTests
{
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Requests_in_flight_when_SIGTERM_arrives_are_all_answered_then_the_server_exits()
    {
        using var folder = new TemporaryFolder();
        string model = folder.File("model");
        using (var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["negative", "positive"]))
            classifier.Save(model);

        // The batcher would wait 60 s for a full batch of 64: the requests are certainly in flight (queued) when the signal comes,
        // and only the drain (the batch runs at once when stopping starts) can answer them before --drain-seconds runs out.
        await using var server = ServeProcess.Start(folder.Path, model, "--max-batch", "64", "--max-delay-ms", "60000", "--drain-seconds", "40");
        try
        {
            Uri address = await server.Listening(HangGuard);
            using var client = new HttpClient { BaseAddress = address, Timeout = HangGuard };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

            const int Requests = 8;
            var answers = Enumerable.Range(0, Requests).Select(i => client.PostAsync("/predict",
                new StringContent(JsonSerializer.Serialize(new { text = $"request number {i}" }), Encoding.UTF8, "application/json"))).ToArray();
            // Accepted: the server counts them in flight (read and queued); only then the signal.
            while (InFlight(await client.GetStringAsync("/health/live")) < Requests)
            {
                Assert.DoesNotContain(answers, a => a.IsCompleted);
                await Task.Delay(50);
            }

            var term = ProcessRunner.Run("kill", ["-TERM", server.Process.Id.ToString(CultureInfo.InvariantCulture)], folder.Path, HangGuard);
            Assert.True(term.ExitCode == 0, term.ToString());

            foreach (var answer in answers)
            {
                using var response = await answer;
                string body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
                using var json = JsonDocument.Parse(body);
                Assert.Single(json.RootElement.GetProperty("predictions").EnumerateArray());
            }
            Assert.True(server.Process.WaitForExit(HangGuard), "typedbert serve did not stop after SIGTERM");
            server.Process.WaitForExit();
            Assert.True(server.Process.ExitCode == 0, $"exit code {server.Process.ExitCode}\n{server.Log}");
            Assert.Contains($"answering the {Requests} requests in flight", server.Log, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"typedbert serve: {e.Message}\n{server.Log}", e);
        }
    }

    static int InFlight(string probe)
    {
        using var json = JsonDocument.Parse(probe);
        return json.RootElement.GetProperty("in_flight").GetInt32();
    }
}
