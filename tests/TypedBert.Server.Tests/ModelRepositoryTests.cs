using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Server.Repository;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;

namespace TypedBert.Server.Tests;

/// <summary>
/// The model repository on the real server: a new version renamed into place is swapped in under concurrent requests with no failed
/// request and no answer from anything but a complete version (each answer's score equals version 1's or version 2's own, computed
/// directly), the old version is disposed; a corrupt version or one with other labels is refused and the version in service goes on.
/// </summary>
public class ModelRepositoryTests
{
    const string Text = "a warm and funny film";
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_new_version_is_swapped_in_under_concurrent_requests_without_a_failure_and_the_old_one_is_disposed()
    {
        using var folder = new TemporaryFolder();
        string repository = folder.File("repository");
        float first = SaveModel(Path.Combine(repository, "sentiment", "1"), ["negative", "positive"]);
        string staged = Path.Combine(repository, "sentiment", ".2.partial");
        float second = SaveModel(staged, ["negative", "positive"], seed: 7);
        Assert.NotEqual(first, second, 4); // two heads initialised differently: each answer says which version made it

        await using var server = await RunningServer.StartAsync(Options(repository));
        var slot = server.App.Services.GetRequiredService<ModelRepository>().Find("sentiment")!;
        var old = slot.Current;
        Assert.Equal(first, await PositiveScore(server), 4);

        using var stop = new CancellationTokenSource();
        var answers = new List<float>();
        var failures = new List<string>();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    float score = await PositiveScore(server);
                    lock (answers) answers.Add(score);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException)
                {
                    lock (failures) failures.Add(e.Message);
                }
            }
        })).ToArray();

        await Task.Delay(300);
        Directory.Move(staged, Path.Combine(repository, "sentiment", "2")); // complete, then renamed into place
        await Until(async () => (await Models(server)).GetProperty("version").GetString() == "2");
        await old.Disposed.WaitAsync(TimeSpan.FromSeconds(30)); // let go of by the repository and by its last request
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.Empty(failures);
        Assert.All(answers, a => Assert.True(Math.Abs(a - first) < 1e-4 || Math.Abs(a - second) < 1e-4, $"{a} is neither version's score"));
        Assert.Contains(answers, a => Math.Abs(a - first) < 1e-4);
        Assert.Contains(answers, a => Math.Abs(a - second) < 1e-4);
        Assert.Equal(second, await PositiveScore(server), 4);
    }

    [Fact]
    public async Task A_corrupt_version_and_a_version_with_other_labels_are_refused_and_the_old_one_keeps_serving()
    {
        using var folder = new TemporaryFolder();
        string repository = folder.File("repository");
        float first = SaveModel(Path.Combine(repository, "sentiment", "1"), ["negative", "positive"]);
        await using var server = await RunningServer.StartAsync(Options(repository));

        string corrupt = Path.Combine(repository, "sentiment", ".2.partial");
        SaveModel(corrupt, ["negative", "positive"]);
        await File.WriteAllBytesAsync(Path.Combine(corrupt, "model.safetensors"), Encoding.UTF8.GetBytes("not a safetensors file"));
        Directory.Move(corrupt, Path.Combine(repository, "sentiment", "2"));
        var refused = await Until(async () => (await Models(server)).TryGetProperty("refused", out var r) && r.ValueKind == JsonValueKind.Object ? r : (JsonElement?)null);
        Assert.Equal("2", refused.GetProperty("version").GetString());
        Assert.DoesNotContain(repository, refused.GetProperty("error").GetString()!, StringComparison.Ordinal); // no machine paths
        Assert.Equal("1", (await Models(server)).GetProperty("version").GetString());
        Assert.Equal(first, await PositiveScore(server), 4);

        string relabelled = Path.Combine(repository, "sentiment", ".3.partial");
        SaveModel(relabelled, ["negative", "neutral", "positive"]);
        Directory.Move(relabelled, Path.Combine(repository, "sentiment", "3"));
        var other = await Until(async () => (await Models(server)).GetProperty("refused") is { ValueKind: JsonValueKind.Object } r && r.GetProperty("version").GetString() == "3" ? r : (JsonElement?)null);
        Assert.Contains("labels [negative, neutral, positive] differ from those of version 1", other.GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Contains("--allow-label-change", other.GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Equal(first, await PositiveScore(server), 4);
        Assert.Contains(server.Logs.Entries, e => e.EventId == 42 && e.Contains("sentiment") && e.Contains("3"));
    }

    [Fact]
    public void A_broken_layout_is_reported_folder_by_folder()
    {
        using var folder = new TemporaryFolder();
        string root = folder.File("repository");
        Directory.CreateDirectory(Path.Combine(root, "topic", "1"));
        Directory.CreateDirectory(Path.Combine(root, "topic", "latest"));
        Directory.CreateDirectory(Path.Combine(root, "topic", ".3.partial")); // being written: ignored
        Directory.CreateDirectory(Path.Combine(root, "Topic", "1"));
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        Directory.CreateDirectory(Path.Combine(root, "bad name", "1"));

        var (models, problems) = RepositoryLayout.Scan(root);

        Assert.Equal(["Topic"], models.Keys);
        Assert.Equal([1L], models["Topic"].Select(v => v.Number));
        Assert.Contains(problems, p => p.StartsWith("topic: two models named topic and Topic", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("empty: no version folder", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("bad name: a model name may hold only", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);

        var (_, versions) = RepositoryLayout.Scan(CreateWith(folder, "versions", "m/1", "m/latest"));
        Assert.Contains(versions, p => p.StartsWith($"m{Path.DirectorySeparatorChar}latest: a version folder's name must be a whole number", StringComparison.Ordinal));
    }

    static string CreateWith(TemporaryFolder folder, string name, params string[] folders)
    {
        string root = folder.File(name);
        foreach (string f in folders) Directory.CreateDirectory(Path.Combine(root, f));
        return root;
    }

    internal static TypedBertServerOptions Options(string repository) => new()
    {
        RepositoryPath = repository, Urls = "http://127.0.0.1:0", RepositoryPollInterval = TimeSpan.FromMilliseconds(250), Playground = false, OpenApiUi = false,
    };

    /// <summary>Saves an untrained classifier (a new random head) and returns its positive score for <see cref="Text"/>.</summary>
    static float SaveModel(string path, string[] labels, long seed = 42)
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels, seed: seed);
        classifier.Save(path);
        return classifier.Predict(Text).ScoreOf("positive");
    }

    static async Task<float> PositiveScore(RunningServer server)
    {
        using var response = await server.PostJsonAsync(JsonSerializer.Serialize(new { text = Text }), "/models/sentiment/predict");
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("predictions")[0].GetProperty("scores").EnumerateArray()
            .Single(s => s.GetProperty("label").GetString() == "positive").GetProperty("score").GetSingle();
    }

    static async Task<JsonElement> Models(RunningServer server)
    {
        using var json = JsonDocument.Parse(await server.Client.GetStringAsync("/models"));
        return json.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "sentiment").Clone();
    }

    static async Task Until(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition()) await Task.Delay(100, timeout.Token);
    }

    static async Task<JsonElement> Until(Func<Task<JsonElement?>> found)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await found() is { } value) return value;
            await Task.Delay(100, timeout.Token);
        }
    }
}
