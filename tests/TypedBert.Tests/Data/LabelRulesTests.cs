using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Tests.Typed;

namespace TypedBert.Tests.Data;

/// <summary>
/// <see cref="LabelSet"/> reads a label cell by the rule of the generated <c>[BertLabels]</c> parser, so that <c>typedbert train</c> and a
/// typed project read the same file alike; the generated <c>NewsTopicLabels.TryParse</c> is the oracle.
/// </summary>
public sealed class LabelRulesTests
{
    /// <summary>Levenshtein distances worked by hand; the generator's data check (TB0201's "closest") compiles this same code.</summary>
    [Theory]
    [InlineData("kitten", "SITTING", 3)]
    [InlineData("Sports", "sports", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("Busines", "Business", 1)]
    public void Edit_distance_ignores_case(string a, string b, int distance) => Assert.Equal(distance, LabelMatching.EditDistance(a, b));

    [Theory]
    [InlineData("World")]
    [InlineData("world")]
    [InlineData("  SPORTS ")]
    [InlineData("sci/tech")]
    [InlineData("SCI/TECH")]
    [InlineData("2")]
    [InlineData("02")]
    [InlineData("3")]
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("Worl")]
    [InlineData("Wörld")]
    [InlineData("")]
    public void A_cell_names_the_label_the_generated_parser_reads(string cell)
    {
        var labels = new LabelSet(NewsTopicLabels.Names);
        int? expected = NewsTopicLabels.TryParse(cell, out var topic) ? NewsTopicLabels.ToId(topic) : null;
        Assert.Equal(expected, labels.Find(cell));
    }

    [Fact]
    public void Spellings_that_differ_in_case_are_one_label_keeping_the_first()
    {
        var rows = new[] { "positive", "Negative", "POSITIVE", "negative" }.Select((l, i) => new DataRow("f.tsv", i + 2, "t", null, l)).ToList();
        var labels = LabelSet.FromRows(rows, multiLabel: false);
        Assert.Equal(["Negative", "positive"], labels.Names);
        Assert.Equal([1, 0, 1, 0], TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel).Select(e => e.LabelId));
        var error = Assert.Throws<ArgumentException>(() => new LabelSet(["Spam", "Ham", "spam"]));
        Assert.Contains("\"Spam\" and \"spam\" differ only in case", error.Message);
    }

    [Fact]
    public void An_unknown_label_names_the_closest_and_can_be_skipped_and_counted()
    {
        var labels = new LabelSet(["Billing", "Outage", "Account"]);
        var rows = new[] { "billing", "Outgae", "Account", "Acount", "x" }.Select((l, i) => new DataRow("t.tsv", i + 2, "t", null, l)).ToList();
        var error = Assert.Throws<DataFormatException>(() => TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel));
        Assert.Equal("t.tsv:3: unknown label \"Outgae\" (known: Billing, Outage, Account, or an id 0..2; closest: Outage)", error.Message);
        Assert.Equal("Outgae", error.UnknownLabel);

        var kept = TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel, skipBadRows: true, out var skipped);
        Assert.Equal([0, 2], kept.Select(e => e.LabelId));
        Assert.Equal([3, 5, 6], skipped.Select(s => s.LineNumber));
        Assert.Equal(["Outgae", "Acount", "x"], skipped.Select(s => s.UnknownLabel));
        Assert.Equal(["Account"], labels.Closest("acount"));
        Assert.Equal(["Billing", "Outage", "Account"], labels.Closest("zzzzzzz"));   // a tie (7 edits each) lists them in id order
    }

    [Theory]
    [InlineData("data.tsv", "words\tlabel\nok\tA\n", "text")]
    [InlineData("data.tsv", "text\ty\nok\tA\n", "label")]
    [InlineData("data.jsonl", "{\"sentence\": \"ok\", \"label\": \"A\"}\n", "text")]
    public void A_missing_column_is_named(string name, string content, string column)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File(name), content);
        var rows = new List<DataFormatException>();
        try
        {
            DataFile.Read(folder.File(name), new DataColumns(), skipBadRows: true, out rows);
        }
        catch (DataFormatException e)
        {
            rows.Add(e);
        }
        Assert.Equal(column, Assert.Single(rows).MissingColumn);
    }
}
