using System.Text.Json;
using Parquet;
using Parquet.Schema;
using TypedBert.Data;
using TypedBert.Hub.Datasets;
using TypedBert.Hub;

namespace TypedBert.Tests.Hub;

public class HubDatasetTests
{
    static readonly string[] Names = ["neg", "pos"];

    /// <summary>A dataset whose Parquet branch holds <c>plain_text/train</c> in three files and <c>plain_text/test</c> in one.</summary>
    static FakeRevision AddReviews(HubFixture hub, params (string? Text, long? Label)[][] trainFiles)
    {
        var repo = hub.Server.AddRepo("acme/reviews", dataset: true);
        repo.Branch("main").Add("README.md", "# reviews"u8.ToArray(), lfs: false);
        var parquet = repo.Branch(HubDatasets.ParquetRevision);
        for (int i = 0; i < trainFiles.Length; i++)
            parquet.Add($"plain_text/train/{i:0000}.parquet", ParquetFile(trainFiles[i]), lfs: true);
        parquet.Add("plain_text/test/0000.parquet", ParquetFile([("dull", 0), ("bright", 1)]), lfs: true);
        return parquet;
    }

    /// <summary>A Parquet file like the hub's converter writes: text and an int64 ClassLabel, described in the "huggingface" metadata.</summary>
    static byte[] ParquetFile((string? Text, long? Label)[] rows) => Task.Run(async () =>
    {
        var text = new DataField<string>("text", true);
        var label = new DataField<long?>("label");
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(text, label), stream))
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                ["huggingface"] = JsonSerializer.Serialize(new
                {
                    info = new { features = new Dictionary<string, object>
                    {
                        ["text"] = new { dtype = "string", _type = "Value" },
                        ["label"] = new { names = Names, _type = "ClassLabel" },
                    } },
                }),
            };
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(text, rows.Select(r => r.Text!).ToArray(), null);
            await group.WriteAsync<long>(label, rows.Select(r => r.Label).ToArray().AsMemory(), null);
        }
        return stream.ToArray();
    }).GetAwaiter().GetResult();

    [Fact]
    public void A_split_is_read_from_the_parquet_branch_with_its_class_label_names_and_again_offline()
    {
        using var hub = new HubFixture();
        var parquet = AddReviews(hub, [("great", 1), ("awful", 0)], [("fine", 1)], [("boring", 0), ("lovely", 1)]);

        var train = HubDatasets.Load("acme/reviews", "train", options: hub.Options);

        Assert.Equal("plain_text", train.Config);
        Assert.Equal(parquet.Commit, train.Commit);
        Assert.Equal(["great", "awful", "fine", "boring", "lovely"], train.Rows.Select(r => r.Text));
        Assert.Equal(["pos", "neg", "pos", "neg", "pos"], train.Rows.Select(r => r.Label));
        Assert.Equal(Names, train.Labels.Names);
        Assert.Equal([1, 0, 1, 0, 1], train.ToExamples().Select(e => e.LabelId));
        Assert.Equal(3, train.Files.Count);
        Assert.All(train.Files, f => Assert.StartsWith(Path.Combine(hub.RepoFolder("datasets--acme--reviews"), "snapshots", parquet.Commit, "plain_text", "train"), f));
        Assert.Equal(parquet.Commit, File.ReadAllText(Path.Combine(hub.RepoFolder("datasets--acme--reviews"), "refs", "refs", "convert", "parquet")));
        Assert.Contains(hub.Server.Requests, r => r.Path.Contains("/tree/", StringComparison.Ordinal) && r.Path.EndsWith("/train", StringComparison.Ordinal));

        int requests = hub.RequestCount;
        var offline = HubDatasets.Load("acme/reviews", "train", options: hub.Options with { Offline = true });
        Assert.Equal(requests, hub.RequestCount);
        Assert.Equal(train.Rows.Select(r => (r.Text, r.Label)), offline.Rows.Select(r => (r.Text, r.Label)));

        var test = HubDatasets.Load("acme/reviews", "test", config: "plain_text", options: hub.Options);
        Assert.Equal(["neg", "pos"], test.Rows.Select(r => r.Label));
    }

    [Fact]
    public void Bad_rows_name_the_file_row_and_column_and_missing_splits_list_the_ones_there_are()
    {
        using var hub = new HubFixture();
        AddReviews(hub, [("good", 1), ("no label", null), ("hidden", -1)]);

        var error = Assert.Throws<DataFormatException>(() => HubDatasets.Load("acme/reviews", "train", options: hub.Options));
        Assert.EndsWith("0000.parquet", error.SourceFile);
        Assert.Equal(2, error.LineNumber);
        Assert.Contains("\"label\"", error.Reason);

        var lenient = HubDatasets.Load("acme/reviews", "train", options: hub.Options, skipBadRows: true);
        Assert.Equal(["good"], lenient.Rows.Select(r => r.Text));
        Assert.Equal([2, 3], lenient.Skipped.Select(s => s.LineNumber));
        Assert.Contains("no label", lenient.Skipped[1].Reason);

        var noSplit = Assert.Throws<HubNotFoundException>(() => HubDatasets.Load("acme/reviews", "validation", options: hub.Options));
        Assert.Contains("test, train", noSplit.Message);
        var noColumn = Assert.Throws<DataFormatException>(() => HubDatasets.Load("acme/reviews", "test", columns: new DataColumns(Text: "sentence"), options: hub.Options));
        Assert.Contains("no column \"sentence\"", noColumn.Message);
    }
}
