using TypedBert.Classification;
using TypedBert.Pretrained;

namespace TypedBert.Tests.Hub;

/// <summary><see cref="TextClassifier.FromPretrainedAsync"/> against the fake hub: a download can be cancelled, and resumes later.</summary>
public class HubCancellationTests
{
    static readonly string[] Sentiment = ["negative", "positive"];

    // Only a bound against hanging for ever when something is broken; no assertion depends on how long anything takes.
    static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Cancelling_during_the_weights_download_throws_leaves_no_weights_and_a_later_call_loads()
    {
        using var hub = new HubFixture();
        var main = hub.Server.AddModelFromFolder("acme/slow-bert", PretrainedEncoder.ResolveDirectory(EmbeddedModels.DefaultName));
        using var environment = HubModelTests.HubEnvironment(hub);
        using var cancel = new CancellationTokenSource();
        // The weights are an LFS file, fetched from the storage host: that request is held unanswered until the gate opens, and its
        // arrival cancels the load on the server's side, so no delay on the test's thread can let the hub's read timeout fire first.
        using var gate = hub.Server.HoldRequests(r => r.Method == "GET" && r.Path.StartsWith("/storage/", StringComparison.Ordinal), cancel.Cancel);

        var loading = TextClassifier.FromPretrainedAsync("acme/slow-bert", Sentiment, cancel: cancel.Token);
        await gate.Arrived.WaitAsync(HangGuard);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loading.WaitAsync(HangGuard));
        string snapshot = Path.Combine(hub.RepoFolder("models--acme--slow-bert"), "snapshots", main.Commit);
        Assert.False(File.Exists(Path.Combine(snapshot, "model.safetensors")), "a cancelled download must not leave weights in the snapshot");

        gate.Open();
        using var classifier = await TextClassifier.FromPretrainedAsync("acme/slow-bert", Sentiment).WaitAsync(HangGuard);
        Assert.Equal(2, classifier.Predict("a warm and funny film").Scores.Length);
        Assert.True(File.Exists(Path.Combine(snapshot, "model.safetensors")));
    }

    [Fact]
    public async Task A_token_cancelled_beforehand_sends_no_request()
    {
        using var hub = new HubFixture();
        hub.AddTinyModel("acme/never");
        using var environment = HubModelTests.HubEnvironment(hub);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TextClassifier.FromPretrainedAsync("acme/never", Sentiment, cancel: new CancellationToken(canceled: true)));
        Assert.Equal(0, hub.RequestCount);
    }

    [Fact]
    public async Task An_unknown_repository_is_named_as_the_synchronous_form_names_it()
    {
        using var hub = new HubFixture();
        using var environment = HubModelTests.HubEnvironment(hub);

        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => TextClassifier.FromPretrainedAsync("acme/no-such-model", Sentiment));
        Assert.Contains("\"acme/no-such-model\" is neither a model folder nor an embedded model name", error.Message);
        Assert.Contains("hub could not provide it", error.Message);
    }
}
