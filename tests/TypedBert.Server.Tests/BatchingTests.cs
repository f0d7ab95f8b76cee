using System.Net;
using System.Net.Http.Json;
using TypedBert.Server.Protocol;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>Concurrent requests share forward passes, and each still gets its own predictions.</summary>
public sealed class BatchingTests(SavedModel model) : IClassFixture<SavedModel>, IAsyncLifetime
{
    const int ConcurrentRequests = 12;

    RunningServer server = null!;

    public async Task InitializeAsync() => server = await RunningServer.StartAsync(new TypedBertServerOptions
    {
        ModelPath = model.Path,
        Urls = "http://127.0.0.1:0",
        // A batch runs when it holds MaxBatchSize texts or when MaxBatchDelay has passed. The delay is far longer than any test, so batches
        // close by size alone: the twelve one-text requests below form exactly one batch however the machine schedules them.
        MaxBatchSize = ConcurrentRequests,
        MaxBatchDelay = TimeSpan.FromMinutes(10),
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Concurrent_requests_are_answered_from_shared_batches_with_their_own_results()
    {
        var texts = Enumerable.Range(0, ConcurrentRequests).Select(i => $"request number {i} " + new string('a', i)).ToArray();
        var solo = new Dictionary<string, float>();
        using (var direct = Classification.TextClassifier.Load(model.Path))
            foreach (var text in texts) solo[text] = direct.Predict(text).ScoreOf("positive");

        var responses = await Task.WhenAll(texts.Select(async text =>
        {
            using var response = await server.PostAsync(new { text });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (text, body: (await response.Content.ReadFromJsonAsync<PredictResponse>())!);
        }));

        foreach (var (text, body) in responses)
            Assert.Equal(solo[text], Assert.Single(body.Predictions).Scores.Single(s => s.Label == "positive").Score, 4);
        var statistics = server.Batcher.Statistics;
        Assert.Equal(ConcurrentRequests, statistics.Requests);
        Assert.Equal(1, statistics.Batches);
        Assert.Equal(ConcurrentRequests, statistics.LargestBatchRequests);
        Assert.Contains(server.Logs.Entries, e => e.EventId == 10 && e.Level == Microsoft.Extensions.Logging.LogLevel.Information);
    }

    [Fact]
    public async Task A_request_larger_than_the_batch_size_runs_whole()
    {
        var texts = Enumerable.Range(0, 20).Select(i => $"text {i}").ToArray();
        using var response = await server.PostAsync(new { texts });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(20, (await response.Content.ReadFromJsonAsync<PredictResponse>())!.Predictions.Count);
    }
}
