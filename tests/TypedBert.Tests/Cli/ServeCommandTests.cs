using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Cli;

/// <summary>
/// <c>typedbert serve</c> as a user runs it: the real executable in a child process on 127.0.0.1, asked for port 0 so that the system
/// picks a free one (no probing for a port that another process could take first), answering a POST /predict.
/// </summary>
public partial class ServeCommandTests
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

        var start = new ProcessStartInfo(ProcessRunner.Dotnet)
        {
            WorkingDirectory = folder.Path, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), "serve", "--model", model, "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        var log = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var server = new Process { StartInfo = start };
        void Record(string? line)
        {
            if (line is null) return;
            lock (log) log.AppendLine(line);
            if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
        server.OutputDataReceived += (_, e) => Record(e.Data);
        server.ErrorDataReceived += (_, e) => Record(e.Data);
        server.EnableRaisingEvents = true;
        server.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("typedbert serve exited before listening"));
        Assert.True(server.Start());
        server.StandardInput.Close();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            Uri address = await listening.Task.WaitAsync(HangGuard);
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
            var term = ProcessRunner.Run("kill", ["-TERM", server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], folder.Path, HangGuard);
            Assert.True(term.ExitCode == 0, term.ToString());
            Assert.True(server.WaitForExit(HangGuard), "typedbert serve did not stop after SIGTERM");
            server.WaitForExit();   // the asynchronous readers have drained both streams
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}\n{log}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"typedbert serve: {e.Message}\n{log}", e);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
