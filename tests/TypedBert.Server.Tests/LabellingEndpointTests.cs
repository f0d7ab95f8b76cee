using System.Net;
using System.Net.Http.Json;
using System.Text;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// The labelling page's endpoints against the real server: each label is in the data file, well formed, when the answer comes; a
/// label is written once however many requests carry it; a file changed on disk by someone else is read again and kept; the key and
/// the model's labels are enforced. The oracle for the file is the project's own reader (<c>DataFile</c>) and the texts sent.
/// </summary>
public sealed class LabellingEndpointTests(SavedModel model) : IClassFixture<SavedModel>
{
    static readonly (string Text, string Label)[] Texts = LabellingSetup.Texts;

    [Fact]
    public async Task Each_label_is_a_well_formed_row_of_the_data_file_when_the_answer_comes()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        Assert.Empty(setup.Rows()); // created with its header at start

        for (int i = 0; i < 3; i++)
        {
            using var response = await LabellingSetup.LabelAsync(client, Texts[i].Text, Texts[i].Label);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await LabellingSetup.JsonAsync(response);
            Assert.True(body.GetProperty("written").GetBoolean());
            Assert.Equal(i + 1, body.GetProperty("rows").GetInt32());
            // On disk before the next request: read back by the project's reader.
            var rows = setup.Rows();
            Assert.Equal(Texts.Take(i + 1).Select(t => (t.Text, t.Label)), rows.Select(r => (r.Text, r.Label)));
        }

        using var state = await client.GetAsync("/label/state");
        var stateBody = await LabellingSetup.JsonAsync(state);
        Assert.Equal("train.tsv", stateBody.GetProperty("data_file").GetString());
        Assert.Equal(3, stateBody.GetProperty("rows").GetInt32());
        Assert.Equal(["negative", "positive"], stateBody.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));

        // Undo removes exactly that row, atomically, and the next label goes after the others.
        using (var undo = await client.PostAsJsonAsync("/label/undo", new { id = LabellingSetup.IdOf(Texts[1].Text) }))
        {
            Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
            Assert.True((await LabellingSetup.JsonAsync(undo)).GetProperty("written").GetBoolean());
        }
        Assert.Equal([Texts[0].Text, Texts[2].Text], setup.Rows().Select(r => r.Text));
        using (await LabellingSetup.LabelAsync(client, Texts[1].Text, "positive")) { }
        Assert.Equal([(Texts[0].Text, "positive"), (Texts[2].Text, "positive"), (Texts[1].Text, "positive")], setup.Rows().Select(r => (r.Text, r.Label)));
        // No temporary file is left beside it.
        Assert.Equal(["pool.txt", "train.tsv"], Directory.GetFiles(setup.Folder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Texts_with_tabs_quotes_and_line_breaks_read_back_unchanged()
    {
        using var setup = new LabellingSetup();
        string[] awkward = ["a\ttab", "\"quoted\" at the start", "two\nlines"];
        File.WriteAllText(setup.PoolPath, string.Join('\n', awkward.Select(t => "\"" + t.Replace("\"", "\"\"") + "\"").Prepend("text")) + "\n");
        File.Move(setup.PoolPath, Path.ChangeExtension(setup.PoolPath, ".tsv"));
        var options = setup.Options(model.Path);
        var (app, client) = await LabellingSetup.StartAsync(new TypedBertServerOptions
        {
            ModelPath = options.ModelPath, Urls = options.Urls, ApiKey = options.ApiKey, LabelDataPath = options.LabelDataPath,
            LabelPoolPath = Path.ChangeExtension(setup.PoolPath, ".tsv"),
        });
        await using var _ = app;
        foreach (string text in awkward)
        {
            using var response = await LabellingSetup.LabelAsync(client, text, "negative");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(awkward, setup.Rows().Select(r => r.Text));
    }

    [Fact]
    public async Task Concurrent_requests_for_the_same_text_write_one_row()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;

        // Two tabs (and retries) label the same texts at once.
        var requests = Enumerable.Range(0, 16).Select(i => LabellingSetup.LabelAsync(client, Texts[i % 2].Text, Texts[i % 2].Label)).ToArray();
        var responses = await Task.WhenAll(requests);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var written = await Task.WhenAll(responses.Select(async r => (await LabellingSetup.JsonAsync(r)).GetProperty("written").GetBoolean()));
        Assert.Equal(2, written.Count(w => w));
        var rows = setup.Rows();
        Assert.Equal(2, rows.Count);
        Assert.Equal(new[] { Texts[0].Text, Texts[1].Text }.Order(), rows.Select(r => r.Text).Order());

        // A later label for a labelled text, even another one, writes nothing and says what the file holds.
        using var again = await LabellingSetup.LabelAsync(client, Texts[0].Text, "negative");
        var body = await LabellingSetup.JsonAsync(again);
        Assert.False(body.GetProperty("written").GetBoolean());
        Assert.Equal(Texts[0].Label, body.GetProperty("label").GetString());
        Assert.Equal(2, setup.Rows().Count);
    }

    [Fact]
    public async Task A_data_file_changed_on_disk_is_read_again_and_nothing_in_it_is_overwritten()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        using (await LabellingSetup.LabelAsync(client, Texts[0].Text, Texts[0].Label)) { }

        // Someone else adds a row (an editor, a script) while the page is open.
        File.AppendAllText(setup.DataPath, "written by hand\tnegative\n", new UTF8Encoding(false));
        using (var state = await client.GetAsync("/label/state"))
            Assert.Equal(2, (await LabellingSetup.JsonAsync(state)).GetProperty("rows").GetInt32());

        File.AppendAllText(setup.DataPath, "second hand row\tpositive\n", new UTF8Encoding(false));
        using var response = await LabellingSetup.LabelAsync(client, Texts[1].Text, Texts[1].Label);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await LabellingSetup.JsonAsync(response);
        Assert.True(body.GetProperty("reloaded").GetBoolean());
        Assert.Equal(4, body.GetProperty("rows").GetInt32());
        Assert.Equal([Texts[0].Text, "written by hand", "second hand row", Texts[1].Text], setup.Rows().Select(r => r.Text));

        // A file changed into something that is not the training format: nothing is written, the answer says why.
        File.WriteAllText(setup.DataPath, "sentence\tlabel\nx\tnegative\n");
        using var refused = await LabellingSetup.LabelAsync(client, Texts[2].Text, Texts[2].Label);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("changed on disk", (await LabellingSetup.JsonAsync(refused)).GetProperty("error").GetString());
        Assert.Equal("sentence\tlabel\nx\tnegative\n", File.ReadAllText(setup.DataPath));
    }

    [Fact]
    public async Task Requests_without_the_key_and_labels_the_model_lacks_are_refused()
    {
        using var setup = new LabellingSetup();
        var (app, keyed) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        using var anonymous = new HttpClient { BaseAddress = keyed.BaseAddress };

        foreach (var request in new Func<Task<HttpResponseMessage>>[]
        {
            () => anonymous.GetAsync("/label/state"),
            () => anonymous.GetAsync("/label/next"),
            () => anonymous.PostAsJsonAsync("/label", new { id = LabellingSetup.IdOf(Texts[0].Text), labels = new[] { "positive" } }),
            () => anonymous.PostAsJsonAsync("/label/undo", new { id = LabellingSetup.IdOf(Texts[0].Text) }),
            () => anonymous.PostAsync("/label/retrain", null),
            () => anonymous.GetAsync("/label/retrain"),
        })
        {
            using var response = await request();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Empty(setup.Rows());

        // The page itself is open (a browser cannot send a header when it follows a link), under a strict CSP.
        using var page = await anonymous.GetAsync("/label");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync());

        using var unknownLabel = await LabellingSetup.LabelAsync(keyed, Texts[0].Text, "neutral");
        Assert.Equal(HttpStatusCode.BadRequest, unknownLabel.StatusCode);
        var error = await LabellingSetup.JsonAsync(unknownLabel);
        Assert.Contains("\"neutral\" is not a label of the served model; its labels are negative, positive", error.GetProperty("error").GetString());
        Assert.Equal("labels[0]", error.GetProperty("field").GetString());

        using var two = await LabellingSetup.LabelAsync(keyed, Texts[0].Text, "negative", "positive");
        Assert.Equal(HttpStatusCode.BadRequest, two.StatusCode);
        using var unknownText = await keyed.PostAsJsonAsync("/label", new { id = "0123456789abcdef", labels = new[] { "positive" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownText.StatusCode);
        Assert.Empty(setup.Rows());
    }

    [Fact]
    public async Task A_multi_label_model_takes_several_labels_written_in_its_label_order()
    {
        using var setup = new LabellingSetup();
        using var folder = new TypedBert.Tests.TemporaryFolder();
        string multiLabel = Path.Combine(folder.Path, "ticket-model");
        using (var classifier = TypedBert.Classification.TextClassifier.FromPretrained(TypedBert.Pretrained.EmbeddedModels.DefaultName,
            ["Billing", "Outage", "Urgent"], TypedBert.Classification.ProblemType.MultiLabel))
            classifier.Save(multiLabel);
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(multiLabel));
        await using var _ = app;

        using (var response = await LabellingSetup.LabelAsync(client, Texts[0].Text, "Urgent", "Billing"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await LabellingSetup.LabelAsync(client, Texts[1].Text, "Outage"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var none = await LabellingSetup.LabelAsync(client, Texts[2].Text))
        {
            Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
            Assert.Contains("at least one label", (await LabellingSetup.JsonAsync(none)).GetProperty("error").GetString());
        }
        Assert.Equal([(Texts[0].Text, "Billing|Urgent"), (Texts[1].Text, "Outage")], setup.Rows().Select(r => (r.Text, r.Label)));
        using var state = await client.GetAsync("/label/state");
        Assert.Equal("multi_label_classification", (await LabellingSetup.JsonAsync(state)).GetProperty("problem_type").GetString());
    }

    [Fact]
    public async Task The_page_is_off_unless_a_data_file_is_given()
    {
        var (app, client) = await LabellingSetup.StartAsync(new TypedBertServerOptions { ModelPath = model.Path, Urls = "http://127.0.0.1:0" });
        await using var _ = app;
        using var page = await client.GetAsync("/label");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        using var next = await client.GetAsync("/label/next");
        Assert.Equal(HttpStatusCode.NotFound, next.StatusCode);
    }

    [Fact]
    public async Task Next_offers_the_texts_the_served_model_is_least_sure_of_first_with_its_guess()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        using (await LabellingSetup.LabelAsync(client, Texts[0].Text, Texts[0].Label)) { }
        var items = (await LabellingSetup.JsonAsync(await client.GetAsync("/label/next?count=19"))).GetProperty("items").EnumerateArray().ToList();

        // The oracle: the model's own probabilities, and the margin 1 - (p1 - p2) computed here. With every eligible text asked for,
        // the diverse strategy returns them all, least sure first.
        using var classifier = TypedBert.Classification.TextClassifier.Load(model.Path);
        var texts = items.Select(i => i.GetProperty("text").GetString()!).ToArray();
        Assert.Equal(Texts.Skip(1).Select(t => t.Text).Order(), texts.Order());
        var predictions = classifier.PredictBatch(texts);
        double[] uncertainty = [.. predictions.Select(p => 1.0 - Math.Abs(p.Scores[0] - p.Scores[1]))];
        for (int i = 1; i < texts.Length; i++)
            Assert.True(uncertainty[i - 1] >= uncertainty[i] - 1e-3, $"text {i - 1} (uncertainty {uncertainty[i - 1]}) comes before text {i} ({uncertainty[i]})");
        for (int i = 0; i < texts.Length; i++)
            if (Math.Abs(predictions[i].Scores[0] - predictions[i].Scores[1]) > 0.02)
                Assert.Equal(predictions[i].Label, Assert.Single(items[i].GetProperty("predicted").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task Next_offers_pool_texts_not_labelled_yet()
    {
        using var setup = new LabellingSetup();
        var (app, client) = await LabellingSetup.StartAsync(setup.Options(model.Path));
        await using var _ = app;
        using (await LabellingSetup.LabelAsync(client, Texts[0].Text, Texts[0].Label)) { }
        var items = (await LabellingSetup.JsonAsync(await client.GetAsync("/label/next?count=100"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Texts.Skip(1).Select(t => t.Text).Order(), items.Select(i => i.GetProperty("text").GetString()).Order());
        Assert.All(items, i => Assert.Equal(LabellingSetup.IdOf(i.GetProperty("text").GetString()!), i.GetProperty("id").GetString()));
        using var tooMany = await client.GetAsync("/label/next?count=101");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
