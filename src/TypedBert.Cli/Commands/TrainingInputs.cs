using System.CommandLine;
using System.Globalization;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Data;

namespace TypedBert.Cli.Commands;

/// <summary>
/// Every labelled file of a training command (<c>--data</c>, <c>--eval</c>, <c>--test</c>), read and checked before anything trains: a
/// row that cannot be used, or a label outside the label set, stops the command with the file, line, label and fix, not after an hour
/// of training. The label set is <c>--labels</c> when given (labels outside it are refused), otherwise the training file's.
/// </summary>
internal sealed record TrainingInputs(
    LabelSet Labels, List<TrainingExample> Train, List<TrainingExample>? Eval, List<TrainingExample>? Test, string TrainedOn, string? EvaluatedOn)
{
    /// <summary>Reads and checks the files; <paramref name="split"/> carves an evaluation slice or a training subset when asked.</summary>
    public static TrainingInputs Read(ParseResult result, DataOptions data, EvaluationSplitOptions split, string dataPath, string? evalPath, string? testPath,
        string? labelNames, ProblemType problemType)
    {
        var trainRows = data.ReadRows(result, "--data", dataPath);
        bool multiLabel = problemType == ProblemType.MultiLabel;
        var labels = labelNames is not null ? ParseLabels(labelNames)
            : problemType == ProblemType.Regression ? new LabelSet(["value"])
            : LabelSet.FromRows(trainRows, multiLabel);
        if (labelNames is null && problemType != ProblemType.Regression) WarnOfLikelyTypos(trainRows, labels, multiLabel);

        const string Listed = "correct the label, or add it to --labels";
        var all = data.ToExamples(result, "--data", dataPath, trainRows, labels, problemType, Listed);
        // Without --labels the training file defines the labels: one it lacks could never be predicted, so it cannot be scored.
        string notTrained = labelNames is not null ? $"{Listed} (a label without training examples is never learned)"
            : $"the training file {dataPath} has no example of it: correct the label, add examples of it to {dataPath}, or name every label with --labels";
        var eval = evalPath is null ? null : data.ReadExamples(result, "--eval", evalPath, labels, problemType, notTrained);
        var test = testPath is null ? null : data.ReadExamples(result, "--test", testPath, labels, problemType, notTrained);
        var (train, evaluation, trainedOn, evaluatedOn) = split.Apply(result, all, eval, dataPath, evalPath);
        return new TrainingInputs(labels, train, evaluation, test, trainedOn, evaluatedOn);
    }

    /// <summary>The <c>--labels</c> value: names in id order, unique ignoring case, as the generated parser reads them.</summary>
    static LabelSet ParseLabels(string names)
    {
        var list = names.Split(',', StringSplitOptions.TrimEntries);
        if (list.Any(n => n.Length == 0)) throw CliException.Usage($"--labels {names}: a label name is empty; write the names in id order separated by commas, such as Negative,Positive");
        try
        {
            return new LabelSet(list);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage($"--labels {names}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }
    }

    /// <summary>
    /// Without <c>--labels</c> a misspelt label becomes a class of its own: warn when a rare label is an edit or two from a label with at
    /// least twice its rows (words of 4 letters or more, so that "pos" and "neg" or "0" and "1" are left alone).
    /// </summary>
    static void WarnOfLikelyTypos(IReadOnlyList<DataRow> rows, LabelSet labels, bool multiLabel)
    {
        var counts = new int[labels.Count];
        var first = new DataRow?[labels.Count];
        foreach (var row in rows)
        {
            var cells = multiLabel ? row.Label.Split(LabelSet.MultiLabelSeparator, StringSplitOptions.RemoveEmptyEntries) : [row.Label];
            foreach (var cell in cells)
                if (labels.Find(cell) is int id)
                {
                    counts[id]++;
                    first[id] ??= row;
                }
        }
        for (int rare = 0; rare < labels.Count; rare++)
        {
            string name = labels.Names[rare];
            if (name.Length < 4 || int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)) continue;
            var near = Enumerable.Range(0, labels.Count)
                .Where(other => other != rare && counts[other] >= 2 * counts[rare] && labels.Names[other].Length >= 4
                    && LabelMatching.EditDistance(name, labels.Names[other]) <= Math.Max(1, Math.Min(name.Length, labels.Names[other].Length) / 4))
                .OrderByDescending(other => counts[other]).FirstOrDefault(-1);
            if (near < 0) continue;
            Console.Error.WriteLine($"warning: {first[rare]!.Where}: label \"{name}\" ({counts[rare]} row(s)) looks like a misspelling of \"{labels.Names[near]}\" "
                + $"({counts[near]} rows) and becomes a class of its own; correct it, or name the labels with --labels to refuse any other");
        }
    }
}
