using System.CommandLine;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Data;

namespace TypedBert.Cli.Commands;

/// <summary>
/// Options shared by the commands that read labelled data files, and the reading itself: a bad file stops the command with the option,
/// the file, the line, what is wrong and the fix; with <c>--skip-bad-rows</c> malformed rows and rows whose label is unknown are left out
/// and counted on standard error.
/// </summary>
internal sealed class DataOptions
{
    public Option<string> TextColumn { get; } = new("--text-column") { Description = "Text column(s), comma-separated to join several", DefaultValueFactory = _ => "text" };
    public Option<string> LabelColumn { get; } = new("--label-column") { Description = "Label column", DefaultValueFactory = _ => "label" };
    public Option<string?> PairColumn { get; } = new("--pair-column") { Description = "Second-text column for sentence-pair tasks" };
    public Option<bool> SkipBadRows { get; } = new("--skip-bad-rows") { Description = "Leave out malformed rows and rows with an unknown label (they are counted) instead of stopping at the first" };

    public void AddTo(Command command)
    {
        command.Options.Add(TextColumn);
        command.Options.Add(LabelColumn);
        command.Options.Add(PairColumn);
        command.Options.Add(SkipBadRows);
    }

    public DataColumns Columns(ParseResult result) =>
        new(result.GetValue(TextColumn)!, result.GetValue(LabelColumn)!, result.GetValue(PairColumn));

    /// <summary>Reads <c>--data</c> <paramref name="path"/> into examples for a saved model's <paramref name="labels"/> (eval).</summary>
    public List<TrainingExample> ReadExamples(ParseResult result, string path, LabelSet labels, ProblemType problemType) =>
        ReadExamples(result, "--data", path, labels, problemType, "the model knows only the labels listed: correct the row");

    /// <summary>
    /// Reads <paramref name="path"/> (given as <paramref name="option"/>) into examples for <paramref name="labels"/>; a label outside them
    /// is refused with <paramref name="unknownLabelFix"/>, or skipped and counted with <c>--skip-bad-rows</c>.
    /// </summary>
    public List<TrainingExample> ReadExamples(ParseResult result, string option, string path, LabelSet labels, ProblemType problemType, string unknownLabelFix) =>
        ToExamples(result, option, path, ReadRows(result, option, path), labels, problemType, unknownLabelFix);

    /// <summary>The rows of <paramref name="path"/>; malformed ones stop the command, or with <c>--skip-bad-rows</c> are left out and counted.</summary>
    public List<DataRow> ReadRows(ParseResult result, string option, string path)
    {
        List<DataRow> rows;
        List<DataFormatException> skipped;
        var columns = Columns(result);
        try
        {
            // Every bad row is collected, so that the message can say how many there are.
            rows = DataFile.Read(path, columns, skipBadRows: true, out skipped);
        }
        catch (DataFormatException e)
        {
            throw CliException.BadInput($"{option} {e.Message}{ColumnFix(e, columns)}", e);
        }
        catch (FileNotFoundException e)
        {
            throw CliException.BadInput($"{option} {path}: no such file", e);
        }
        catch (NotSupportedException e)
        {
            throw CliException.BadInput($"{option} {e.Message}", e);
        }
        if (skipped.Count > 0 && !result.GetValue(SkipBadRows))
            throw CliException.BadInput($"{option} {skipped[0].Message}{More(skipped.Count, "bad row")}"
                + (ColumnFix(skipped[0], columns) is { Length: > 0 } fix ? fix : "; correct the row, or add --skip-bad-rows to leave out the bad rows (they are counted)"), skipped[0]);
        return Skipped(option, path, rows, skipped, "malformed");
    }

    /// <summary>Examples of rows already read; see <see cref="ReadExamples"/>.</summary>
    public List<TrainingExample> ToExamples(ParseResult result, string option, string path, IReadOnlyList<DataRow> rows, LabelSet labels, ProblemType problemType,
        string unknownLabelFix)
    {
        var examples = TrainingExample.FromRows(rows, labels, problemType, skipBadRows: true, out var skipped);
        if (skipped.Count > 0 && !result.GetValue(SkipBadRows))
        {
            var first = skipped[0];
            string fix = first.UnknownLabel is not null ? unknownLabelFix : "correct the value";
            throw CliException.BadInput($"{option} {first.Message}{More(skipped.Count, "row")}; {fix}; or add --skip-bad-rows to leave out such rows (they are counted)", first);
        }
        return Skipped(option, path, examples, skipped, problemType == ProblemType.Regression ? "without a number" : "with an unknown label");
    }

    /// <summary><paramref name="kept"/>, after a line on standard error that counts the rows left out; none kept is an error.</summary>
    static List<T> Skipped<T>(string option, string path, List<T> kept, List<DataFormatException> skipped, string what)
    {
        if (skipped.Count == 0) return kept;
        if (kept.Count == 0)
            throw CliException.BadInput($"{option} {path}: all {skipped.Count} rows are {what} and were left out; first: {skipped[0].Message}", skipped[0]);
        Console.Error.WriteLine($"{path}: skipped {skipped.Count} row(s) {what} (--skip-bad-rows); first: {skipped[0].Message}");
        return kept;
    }

    static string More(int count, string what) => count > 1 ? $" (and {count - 1} more {what}s)" : "";

    // A column the header (or a JSON line) lacks: the option that names it.
    static string ColumnFix(DataFormatException e, DataColumns columns)
    {
        if (e.MissingColumn is not { } column) return "";
        string option = column == columns.Label ? "--label-column" : column == columns.TextPair ? "--pair-column" : "--text-column";
        return $"; name the column with {option} (or rename it in the file)";
    }
}
