using System.Net;
using System.Net.Http.Json;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// A real <c>typedbert serve --label-data --label-pool</c> killed with SIGKILL: every label answered before the kill is in the data file,
/// and the file is always the training format, whole rows only, each text once, even when the kill lands among requests in flight.
/// </summary>
public sealed class LabellingKillTests(SavedModel model) : IClassFixture<SavedModel>
{
    const string KeyVariable = "TYPEDBERT_TEST_LABEL_KEY";

    [Fact]
    public async Task A_killed_server_leaves_every_answered_label_and_only_whole_rows()
    {
        using var setup = new LabellingSetup();
        var texts = LabellingSetup.Texts;
        const int answered = 5;

        await using (var first = await StartAsync(setup))
        {
            for (int i = 0; i < answered; i++)
                using (var response = await LabellingSetup.LabelAsync(first.Client, texts[i].Text, texts[i].Label))
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await first.Server.KillAsync();
        }
        Assert.Equal(texts.Take(answered).Select(t => (t.Text, t.Label)), setup.Rows().Select(r => (r.Text, r.Label)));

        // A second server on the same file goes on from there; this one is killed while labels are in flight.
        var acknowledged = new List<string>();
        await using (var second = await StartAsync(setup))
        {
            using (var state = await second.Client.GetAsync("/label/state"))
                Assert.Equal(answered, (await LabellingSetup.JsonAsync(state)).GetProperty("rows").GetInt32());
            var inFlight = texts.Skip(answered).Take(10).Select(async t =>
            {
                try
                {
                    using var response = await LabellingSetup.LabelAsync(second.Client, t.Text, t.Label);
                    if (response.StatusCode == HttpStatusCode.OK) lock (acknowledged) acknowledged.Add(t.Text);
                }
                catch (HttpRequestException)
                {
                    // cut off by the kill: may or may not have been written
                }
            }).ToList();
            await Task.WhenAny(inFlight);
            await second.Server.KillAsync();
            await Task.WhenAll(inFlight);
        }
        var rows = setup.Rows(); // parses: no half-written row
        Assert.Equal(rows.Count, rows.Select(r => r.Text).Distinct().Count());
        Assert.All(acknowledged, text => Assert.Contains(text, rows.Select(r => r.Text)));
        Assert.InRange(rows.Count, answered + acknowledged.Count, answered + 10);
        Assert.All(rows, r => Assert.Equal(texts.Single(t => t.Text == r.Text).Label, r.Label));
    }

    async Task<Running> StartAsync(LabellingSetup setup)
    {
        var (server, address) = await ServeProcess.StartAsync(new Dictionary<string, string> { [KeyVariable] = LabellingSetup.Key },
            "--model", model.Path, "--label-data", setup.DataPath, "--label-pool", setup.PoolPath, "--api-key-env", KeyVariable);
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
        client.DefaultRequestHeaders.Add("X-API-Key", LabellingSetup.Key);
        return new Running(server, client);
    }

    sealed record Running(ServeProcess Server, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Server.DisposeAsync();
        }
    }
}
