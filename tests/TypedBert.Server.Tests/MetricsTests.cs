using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TypedBert.Server.Telemetry;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// <c>GET /metrics</c> scraped from the real server after a known set of requests: each counter equals what the test sent and what the
/// answers said (the oracle is the responses, counted by the test), and the traces put queue wait and model time under the request.
/// </summary>
public partial class MetricsTests
{
    const string Key = "metrics-test-key";

    [Fact]
    public async Task Counters_on_metrics_match_the_requests_sent_and_the_labels_answered()
    {
        using var model = new SavedModel();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServerTelemetry.ActivitySourceName,
            Sample = (ref _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) spans.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", ApiKey = Key });
        server.Client.DefaultRequestHeaders.Add("X-API-Key", Key);

        var labels = new Dictionary<string, int>();
        string[] bodies = ["{\"text\":\"one\"}", "{\"text\":\"two\"}", "{\"texts\":[\"three\",\"four\",\"five\"]}", "{\"text\":\"six\"}"];
        foreach (string body in bodies)
        {
            using var response = await server.PostJsonAsync(body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var prediction in json.RootElement.GetProperty("predictions").EnumerateArray())
                labels[prediction.GetProperty("label").GetString()!] = labels.GetValueOrDefault(prediction.GetProperty("label").GetString()!) + 1;
        }
        using (var refused = await server.PostJsonAsync("{\"text\":\"\"}")) Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using (var anonymous = new HttpClient { BaseAddress = server.Address })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        var samples = Parse(await server.Client.GetStringAsync("/metrics"));
        const string Model = "sentiment-model";

        Assert.Equal(4, Value(samples, "typedbert_requests_total", ("endpoint", "/predict"), ("model", Model), ("status", "200")));
        Assert.Equal(1, Value(samples, "typedbert_requests_total", ("endpoint", "/predict"), ("model", Model), ("status", "400")));
        Assert.Equal(5, Value(samples, "typedbert_request_duration_seconds_count", ("endpoint", "/predict"), ("model", Model)));
        Assert.Equal(6, Value(samples, "typedbert_texts_total", ("model", Model)));
        Assert.Equal(4, Value(samples, "typedbert_queue_wait_seconds_count", ("model", Model)));
        Assert.Equal(6, Value(samples, "typedbert_batch_texts_sum", ("model", Model)));
        foreach (var (label, count) in labels)
            Assert.Equal(count, Value(samples, "typedbert_predictions_total", ("model", Model), ("label", label)));
        Assert.Equal(6, samples.Where(s => s.Name == "typedbert_predictions_total").Sum(s => s.Value));

        // One predict span per answered request (the refused one too), each with a queue-wait and a model span under it.
        List<Activity> stopped;
        lock (spans) stopped = [.. spans];
        var predicts = stopped.Where(a => a.OperationName == "typedbert.predict").ToList();
        Assert.Equal(5, predicts.Count);
        foreach (var predict in predicts.Where(p => p.GetTagItem("http.response.status_code") is 200))
        {
            var children = stopped.Where(a => a.ParentSpanId == predict.SpanId).ToList();
            var wait = Assert.Single(children, c => c.OperationName == "typedbert.queue_wait");
            var forward = Assert.Single(children, c => c.OperationName == "typedbert.model");
            Assert.True(wait.StartTimeUtc >= predict.StartTimeUtc.AddMilliseconds(-1) && wait.StartTimeUtc + wait.Duration <= forward.StartTimeUtc.AddMilliseconds(1));
            Assert.True(forward.StartTimeUtc + forward.Duration <= predict.StartTimeUtc + predict.Duration + TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public async Task Metrics_switched_off_is_not_found()
    {
        using var model = new SavedModel();
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0", Metrics = false });
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/metrics")).StatusCode);
    }

    static double Value(IReadOnlyList<Sample> samples, string name, params (string Key, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).ToList();
        Assert.True(matching.Count > 0, $"no sample {name} with {string.Join(", ", labels)} in:\n{string.Join("\n", samples.Where(s => s.Name.StartsWith("typedbert", StringComparison.Ordinal)))}");
        return matching.Sum(s => s.Value);
    }

    static List<Sample> Parse(string exposition) =>
        [.. exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => SampleLine().Match(l)).Where(m => m.Success).Select(m => new Sample(
            m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => p.Groups[2].Value),
            double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];

    sealed record Sample(string Name, Dictionary<string, string> Labels, double Value)
    {
        public override string ToString() => $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}={l.Value}"))}}} {Value}";
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex LabelPair();
}
