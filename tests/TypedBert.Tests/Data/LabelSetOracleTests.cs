using TypedBert.Data;

namespace TypedBert.Tests.Data;

/// <summary><see cref="LabelSet"/>: the ids it gives a file's labels, how it reads a cell, and what it says about a bad one, all written out by hand.</summary>
public sealed class LabelSetOracleTests
{
    static DataRow Row(string label, int line = 5) => new("train.tsv", line, "text", null, label);

    [Fact]
    public void A_repeated_name_and_names_differing_only_in_case_are_refused_with_different_reasons()
    {
        var twice = Assert.Throws<ArgumentException>(() => new LabelSet(["spam", "ham", "spam"]));
        Assert.Contains("label \"spam\" appears twice", twice.Message);
        Assert.Equal("names", twice.ParamName);
        var cased = Assert.Throws<ArgumentException>(() => new LabelSet(["Spam", "ham", "SPAM"]));
        Assert.Contains("labels \"Spam\" and \"SPAM\" differ only in case", cased.Message);
    }

    [Fact]
    public void Labels_of_a_file_are_sorted_ordinally_or_numerically_when_all_are_integers()
    {
        var words = LabelSet.FromRows([Row("b"), Row("B "), Row("a"), Row("C"), Row("")], multiLabel: false);
        Assert.Equal(["C", "a", "b"], words.Names); // ordinal: upper case first; "B " is "b"; an empty cell is no label
        Assert.Equal(3, words.Count);

        var numbers = LabelSet.FromRows([Row("10"), Row("2"), Row("0"), Row("1")], multiLabel: false);
        Assert.Equal(["0", "1", "2", "10"], numbers.Names); // numerically: "10" after "2"

        var signed = LabelSet.FromRows([Row("+1"), Row("2"), Row("10")], multiLabel: false);
        Assert.Equal(["+1", "10", "2"], signed.Names); // "+1" is not a plain integer, so all sort as text

        var multi = LabelSet.FromRows([Row("urgent| billing"), Row("billing"), Row(""), Row("Urgent|other")], multiLabel: true);
        Assert.Equal(["billing", "other", "urgent"], multi.Names);
        var notSplit = LabelSet.FromRows([Row("urgent|billing")], multiLabel: false);
        Assert.Equal(["urgent|billing"], notSplit.Names);
    }

    [Fact]
    public void A_cell_is_found_by_name_ignoring_case_and_spaces_or_by_an_id_below_the_count()
    {
        var labels = new LabelSet(["negative", "positive", "7"]);
        Assert.Equal(1, labels.Find(" POSITIVE "));
        Assert.Equal(2, labels.Find("7")); // a name first
        Assert.Equal(0, labels.Find("0"));
        Assert.Equal(1, labels.Find(" 1"));
        Assert.Null(labels.Find("3"));
        Assert.Null(labels.Find("-1"));
        Assert.Null(labels.Find("neutral"));
    }

    [Fact]
    public void An_unknown_label_names_the_row_the_labels_the_id_range_and_the_closest()
    {
        var labels = new LabelSet(["negative", "positive", "neutral"]);
        var error = Assert.Throws<DataFormatException>(() => labels.Parse(" postive ", Row(" postive ", 12)));
        Assert.Equal("train.tsv:12: unknown label \" postive \" (known: negative, positive, neutral, or an id 0..2; closest: positive)", error.Message);
        Assert.Equal("postive", error.UnknownLabel);
        Assert.Equal(["negative", "positive"], labels.Closest("xegative").Concat(labels.Closest("Positivx")).ToArray());
        var two = Assert.Throws<DataFormatException>(() => new LabelSet(["cat", "car", "dog"]).Parse("cap", Row("cap")));
        Assert.EndsWith("closest: cat, car)", two.Message);
    }

    [Fact]
    public void A_multi_label_cell_gives_each_id_once_in_order_and_an_empty_cell_none()
    {
        var labels = new LabelSet(["a", "b", "c"]);
        Assert.Equal([0, 2], labels.ParseMany(Row("c| a |C")));
        Assert.Equal([1], labels.ParseMany(Row("1")));
        Assert.Empty(labels.ParseMany(Row("")));
        Assert.Empty(labels.ParseMany(Row(" | ")));
        Assert.Throws<DataFormatException>(() => labels.ParseMany(Row("a|d")));
    }
}
