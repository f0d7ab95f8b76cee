using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Tests.Data;

public sealed class DataFileTests
{
    [Fact]
    public void Tsv_with_quoted_fields_reads_like_Pythons_csv_module()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("data.tsv");
        File.WriteAllText(path, "text\tlabel\nplain text\tWorld\n\"quoted \"\"inner\"\" text\"\tSports\n\"spans\ntwo lines\"\tSci/Tech\n");
        var rows = DataFile.Read(path, new DataColumns());
        Assert.Equal(["plain text", "quoted \"inner\" text", "spans\ntwo lines"], rows.Select(r => r.Text));
        Assert.Equal([2, 3, 4], rows.Select(r => r.Line));
        Assert.Equal("Sci/Tech", rows[2].Label);
    }

    [Fact]
    public void Csv_with_several_text_columns_and_a_pair_column()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("data.csv");
        File.WriteAllText(path, "title,body,question,y\nHello,\"world, again\",Why?,1\n");
        var rows = DataFile.Read(path, new DataColumns(Text: "title,body", Label: "y", TextPair: "question"));
        Assert.Equal("Hello world, again", rows[0].Text);
        Assert.Equal("Why?", rows[0].TextPair);
        Assert.Equal("1", rows[0].Label);
    }

    [Fact]
    public void Json_lines_accept_string_number_and_array_labels()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("data.jsonl");
        File.WriteAllText(path, "{\"text\":\"a\",\"label\":\"Positive\"}\n\n{\"text\":\"b\",\"label\":1}\n{\"text\":\"c\",\"label\":[\"Urgent\",\"Billing\"]}\n");
        var rows = DataFile.Read(path, new DataColumns());
        Assert.Equal(["Positive", "1", "Urgent|Billing"], rows.Select(r => r.Label));
        Assert.Equal([1, 3, 4], rows.Select(r => r.Line));
    }

    [Theory]
    [InlineData("data.tsv", "text\tlabel\nok\tA\nragged\tA\textra\n", "data.tsv:3", "3 fields, but the header has 2")]
    [InlineData("data.tsv", "words\tlabel\nok\tA\n", "data.tsv:1", "no column \"text\"")]
    [InlineData("data.tsv", "", "data.tsv:1", "empty")]
    [InlineData("data.tsv", "text\tlabel\n", "data.tsv:1", "no data rows")]
    [InlineData("data.tsv", "text\tlabel\n\"never closed\tA\n", "data.tsv:2", "not closed")]
    [InlineData("data.jsonl", "{\"text\":\"a\",\"label\":\"A\"}\n{\"text\":\"b\"\n", "data.jsonl:2", "not valid JSON")]
    [InlineData("data.jsonl", "{\"text\":\"a\",\"label\":null}\n", "data.jsonl:1", "not a label")]
    public void Bad_files_are_reported_with_file_line_and_reason(string name, string content, string where, string reason)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File(name);
        File.WriteAllText(path, content);
        var error = Assert.Throws<DataFormatException>(() => DataFile.Read(path, new DataColumns()));
        Assert.Contains(where, error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("latin1.tsv");
        File.WriteAllBytes(path, [.. "text\tlabel\nfine\tA\n"u8, 0x63, 0x61, 0x66, 0xE9, (byte)'\t', (byte)'A', (byte)'\n']);
        var error = Assert.Throws<DataFormatException>(() => DataFile.Read(path, new DataColumns()));
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void Bad_rows_can_be_skipped_and_are_counted()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("data.tsv");
        File.WriteAllText(path, "text\tlabel\nok\tA\nbad\tA\tB\nalso ok\tB\n");
        var rows = DataFile.Read(path, new DataColumns(), skipBadRows: true, out var skipped);
        Assert.Equal(2, rows.Count);
        Assert.Equal(3, Assert.Single(skipped).LineNumber);
    }

    [Fact]
    public void Labels_parse_by_name_or_id_and_unknown_ones_name_the_row()
    {
        var rows = new[] { new DataRow("f.tsv", 2, "x", null, "Sports"), new DataRow("f.tsv", 3, "y", null, "1"), new DataRow("f.tsv", 4, "z", null, "Cooking") };
        var labels = new LabelSet(["World", "Sports"]);
        Assert.Equal(1, labels.Parse(rows[0].Label, rows[0]));
        Assert.Equal(1, labels.Parse(rows[1].Label, rows[1]));
        var error = Assert.Throws<DataFormatException>(() => TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel));
        Assert.Contains("f.tsv:4", error.Message);
        Assert.Contains("unknown label \"Cooking\"", error.Message);
    }

    [Fact]
    public void Label_sets_from_data_sort_numeric_labels_numerically()
    {
        var rows = new[] { "10", "2", "0", "1" }.Select((l, i) => new DataRow("f", i, "t", null, l));
        Assert.Equal(["0", "1", "2", "10"], LabelSet.FromRows(rows, multiLabel: false).Names);
        var multi = new[] { "b|a", "c", "" }.Select((l, i) => new DataRow("f", i, "t", null, l));
        Assert.Equal(["a", "b", "c"], LabelSet.FromRows(multi, multiLabel: true).Names);
    }
}
