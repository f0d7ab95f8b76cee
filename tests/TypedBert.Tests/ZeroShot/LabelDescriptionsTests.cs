using TypedBert.Data;
using TypedBert.ZeroShot;

namespace TypedBert.Tests.ZeroShot;

/// <summary>Label descriptions from code and from a file: every mistake is refused with the label (and the file and line) and the fix.</summary>
public sealed class LabelDescriptionsTests
{
    static readonly string[] Labels = ["World", "Sports", "Sci/Tech"];

    [Fact]
    public void A_file_gives_several_descriptions_per_label_and_a_label_without_lines_is_its_name()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("descriptions.tsv");
        File.WriteAllText(path, "# label<TAB>description\nWorld\tworld news\n\nsports\t sports news \r\nWorld\tnews about governments\n");
        var descriptions = LabelDescriptionsFile.Read(path, Labels);
        Assert.Equal(["world news", "news about governments"], descriptions.Of(0));
        Assert.Equal(["sports news"], descriptions.Of(1)); // label matched ignoring case, spaces trimmed
        Assert.Equal(["Sci/Tech"], descriptions.Of(2));
    }

    [Theory]
    [InlineData("World\tworld news\nPolitics\tpolitical news\n", 2, "\"Politics\" is not a label (World, Sports, Sci/Tech); correct the label")]
    [InlineData("World\tworld news\nSports\t  \n", 2, "the description of \"Sports\" is empty; write a sentence after the tab")]
    [InlineData("World\tworld news\nSports\tWorld News\n", 2, "this description is \"World\"'s already (line 1), so it cannot tell the labels apart; reword one")]
    [InlineData("World\tworld news\n\nWorld\tworld news\n", 3, "\"World\" has this description already on line 1; remove one")]
    [InlineData("World world news\n", 1, "no tab: write the label, a tab, then the description")]
    public void A_bad_line_is_refused_with_its_file_line_and_fix(string content, int line, string message)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("descriptions.tsv");
        File.WriteAllText(path, content);
        var error = Assert.Throws<DataFormatException>(() => LabelDescriptionsFile.Read(path, Labels));
        Assert.Equal(line, error.LineNumber);
        Assert.Equal($"{path}:{line}: {message}", error.Message[..Math.Min(error.Message.Length, path.Length + line.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 3 + message.Length)]);
    }

    [Fact]
    public void Descriptions_from_code_are_checked_the_same_way()
    {
        Assert.Contains("\"Politics\", which is not a label", Assert.Throws<ArgumentException>(() =>
            LabelDescriptions.For(Labels, new Dictionary<string, IReadOnlyList<string>> { ["Politics"] = ["political news"] })).Message);
        Assert.Contains("label \"Sports\" has an empty description", Assert.Throws<ArgumentException>(() =>
            LabelDescriptions.For(Labels, new Dictionary<string, IReadOnlyList<string>> { ["Sports"] = [""] })).Message);
        Assert.Contains("labels \"World\" and \"Sports\" have the same description", Assert.Throws<ArgumentException>(() =>
            LabelDescriptions.For(Labels, new Dictionary<string, IReadOnlyList<string>> { ["World"] = ["news"], ["Sports"] = ["NEWS "] })).Message);
        Assert.Contains("3 labels", Assert.Throws<ArgumentException>(() => LabelDescriptions.InOrder(Labels, [["a"], ["b"]])).Message);
        Assert.Equal(["Sports"], LabelDescriptions.InOrder(Labels, [["a"], [], ["c"]]).Of(1));
    }
}
