using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// The page's retrain: trains in the background on the labelled file less a held-out slice, and serves the new model only when it beats
/// the served one there. Oracles: the held-out slice computed here from its documented rule (per label, rows ordered by the first 16 hex
/// digits of their text's SHA-256, every fifth held out), both models' accuracies recomputed by loading their folders, and
/// <c>/predict</c> compared with the folder of the model that should be served.
/// </summary>
public sealed class LabellingRetrainTests(SavedModel model) : IClassFixture<SavedModel>
{
    [Fact]
    public async Task Retrain_serves_the_new_model_only_when_it_is_better_on_the_held_out_slice()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        var labelled = LabellingSetup.Texts.Take(10).ToArray();
        foreach (var (text, label) in labelled)
            using (var response = await LabellingSetup.LabelAsync(client, text, label)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var heldOut = labelled.GroupBy(t => t.Label)
            .SelectMany(g => g.OrderBy(t => Id(t.Text), StringComparer.Ordinal).Where((_, rank) => (rank + 1) % 5 == 0)).ToArray();
        Assert.Equal(2, heldOut.Length);

        var first = await RetrainAsync(client);
        Assert.Equal("few-shot", first.GetProperty("method").GetString());
        Assert.Equal(8, first.GetProperty("train_rows").GetInt32());
        Assert.Equal(2, first.GetProperty("held_out_rows").GetInt32());
        double served = first.GetProperty("served_accuracy").GetDouble(), fresh = first.GetProperty("new_accuracy").GetDouble();
        Assert.Equal(Accuracy(model.Path, heldOut), served);
        bool swapped = first.GetProperty("swapped").GetBoolean();
        Assert.Equal(fresh > served, swapped);
        string saved = Path.Combine(setup.Folder, "train.models", "1");
        Assert.Equal(swapped, Directory.Exists(saved));
        Assert.StartsWith(swapped ? "serving new model" : "kept old model", first.GetProperty("message").GetString(), StringComparison.Ordinal);
        if (swapped) Assert.Equal(Accuracy(saved, heldOut), fresh);
        await AssertServesAsync(client, swapped ? saved : model.Path, heldOut.Select(t => t.Text).ToArray());

        // The same rows again: a model trained the same way is not better than the one it would replace, so that one stays.
        var second = await RetrainAsync(client);
        Assert.False(second.GetProperty("swapped").GetBoolean(), second.GetRawText());
        Assert.StartsWith("kept old model", second.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(swapped ? 1 : 0, second.GetProperty("generation").GetInt32());
        await AssertServesAsync(client, swapped ? saved : model.Path, heldOut.Select(t => t.Text).ToArray());
    }

    [Fact]
    public async Task Retrain_with_too_few_rows_to_hold_one_out_says_so_and_keeps_serving()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        foreach (var (text, label) in LabellingSetup.Texts.Take(4))
            using (await LabellingSetup.LabelAsync(client, text, label)) { }
        var status = await RetrainAsync(client);
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Contains("no label has 5 rows yet", status.GetProperty("message").GetString());
        await AssertServesAsync(client, model.Path, ["still serving"]);
    }

    static string Id(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    static async Task<JsonElement> RetrainAsync(HttpClient client)
    {
        using (var start = await client.PostAsync("/label/retrain", null)) Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/label/retrain");
            if (status.GetProperty("state").GetString() != "training") return status;
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the retrain did not end within 2 minutes");
            await Task.Delay(100);
        }
    }

    static double Accuracy(string folder, (string Text, string Label)[] rows)
    {
        using var classifier = TextClassifier.Load(folder);
        var predictions = classifier.PredictBatch([.. rows.Select(r => r.Text)]);
        return (double)rows.Where((r, i) => predictions[i].Label == r.Label).Count() / rows.Length;
    }

    static async Task AssertServesAsync(HttpClient client, string folder, string[] texts)
    {
        using var classifier = TextClassifier.Load(folder);
        var expected = classifier.PredictBatch(texts);
        using var response = await client.PostAsJsonAsync("/predict", new { texts });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var predictions = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions").EnumerateArray().ToArray();
        for (int i = 0; i < texts.Length; i++)
        {
            var scores = predictions[i].GetProperty("scores").EnumerateArray().ToDictionary(s => s.GetProperty("label").GetString()!, s => s.GetProperty("score").GetSingle());
            foreach (var label in classifier.Labels)
                Assert.True(Math.Abs(scores[label] - expected[i].ScoreOf(label)) < 1e-2, $"{texts[i]}: /predict gives {label} {scores[label]}, the model in {Path.GetFileName(folder)} {expected[i].ScoreOf(label)}");
        }
    }
}
