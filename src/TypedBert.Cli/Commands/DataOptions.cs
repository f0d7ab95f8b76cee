using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Cli.Commands;

/// <summary>Options shared by the commands that read labelled data files.</summary>
internal sealed class DataOptions
{
    public Option<string> TextColumn { get; } = new("--text-column") { Description = "Text column(s), comma-separated to join several", DefaultValueFactory = _ => "text" };
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "Label column", DefaultValueFactory = _ => "label" };
    public Option<string?> PairColumn { get; } = new("--pair-column") { Description = "Second-text column for sentence-pair tasks" };
    public Option<bool> SkipBadRows { get; } = new("--skip-bad-rows") { Description = "Leave out malformed rows (they are counted) instead of stopping at the first" };

    public void AddTo(Command command)
    {
        command.Options.Add(TextColumn);
        command.Options.Add(LabelColumn);
        command.Options.Add(PairColumn);
        command.Options.Add(SkipBadRows);
    }

    public DataColumns Columns(ParseResult result) =>
        new(result.GetValue(TextColumn)!, result.GetValue(LabelColumn)!, result.GetValue(PairColumn));

    /// <summary>Reads a file into examples for <paramref name="labels"/>, reporting skipped rows on stderr.</summary>
    public List<TrainingExample> ReadExamples(ParseResult result, string path, LabelSet labels, ProblemType problemType) =>
        TrainingExample.FromRows(ReadRows(result, path), labels, problemType);

    public List<DataRow> ReadRows(ParseResult result, string path)
    {
        var rows = DataFile.Read(path, Columns(result), result.GetValue(SkipBadRows), out var skipped);
        if (skipped.Count > 0)
        {
            Console.Error.WriteLine($"{path}: skipped {skipped.Count} bad row(s); first: {skipped[0].Message}");
        }
        return rows;
    }
}
