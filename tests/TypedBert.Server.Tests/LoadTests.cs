using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using TypedBert.Server.Tests.Support;
using Xunit.Abstractions;

namespace TypedBert.Server.Tests;

/// <summary>
/// A bounded load against the real server on 127.0.0.1: N clients send requests back to back for a fixed time; every
/// request must succeed. Short by default (16 clients, 5 s); the full run of docs/reliability.md is
/// <c>TYPEDBERT_LOAD_CLIENTS=64 TYPEDBERT_LOAD_SECONDS=30</c>. <c>TYPEDBERT_LOAD_REPORT=file</c> writes the figures there.
/// </summary>
public sealed class LoadTests(SavedModel model, ITestOutputHelper output) : IClassFixture<SavedModel>
{
    static readonly string[] Sentences =
    [
        "a wonderful film",
        "I did not enjoy a single minute of this, and the ending made it worse",
        "fine",
        "the acting was strong but the story dragged in the middle and never recovered its pace",
        "would watch again",
        "terrible sound, great pictures, average script, and far too long for what it had to say",
    ];

    [Fact]
    public async Task Concurrent_clients_for_a_fixed_time_all_succeed()
    {
        int clients = Setting("TYPEDBERT_LOAD_CLIENTS", 16);
        int seconds = Setting("TYPEDBERT_LOAD_SECONDS", 5);
        // TYPEDBERT_LOAD_ENGINE=Torch|OnnxRuntime|OnnxRuntimeInt8 measures the server on another prediction engine.
        var engine = Enum.Parse<TypedBert.Classification.InferenceEngine>(Environment.GetEnvironmentVariable("TYPEDBERT_LOAD_ENGINE") is { Length: > 0 } name ? name : "Torch");
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", Engine = engine });
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

        var latencies = new List<double>[clients];
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            // At least two requests per client whatever the deadline: on a loaded machine a client may start after it has passed.
            for (int i = 0; i < 2 || clock.Elapsed < deadline; i++)
            {
                string body = $"{{\"text\": \"{Sentences[(c + i) % Sentences.Length]}\"}}";
                long started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/predict", new StringContent(body, Encoding.UTF8, "application/json"));
                string answer = await response.Content.ReadAsStringAsync();
                latencies[c].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK || !answer.Contains("\"predictions\"", StringComparison.Ordinal))
                    lock (failures) failures.Add($"client {c}, request {i}: {(int)response.StatusCode} {answer}");
            }
        }));
        double elapsed = clock.Elapsed.TotalSeconds;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        var statistics = server.Batcher.Statistics;
        string report = string.Create(CultureInfo.InvariantCulture,
            $"engine {engine}, clients {clients}, duration {elapsed:0.0} s, requests {all.Length}, failures {failures.Count}, throughput {all.Length / elapsed:0.0} requests/s, " +
            $"latency p50 {Percentile(all, 0.50):0} ms, p99 {Percentile(all, 0.99):0} ms, max {all[^1]:0} ms, " +
            $"batches {statistics.Batches}, mean batch {(double)statistics.Texts / statistics.Batches:0.0} texts, largest batch {statistics.LargestBatch} texts, " +
            $"processors {Environment.ProcessorCount}");
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("TYPEDBERT_LOAD_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, report + Environment.NewLine);

        Assert.Empty(failures);
        Assert.True(all.Length >= 2 * clients, $"only {all.Length} requests completed: {report}");
        Assert.Equal(all.Length, statistics.Requests);
    }

    static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
