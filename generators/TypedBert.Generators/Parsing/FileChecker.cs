using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using TypedBert.Data;
using TypedBert.Generators.Model;
using TypedBert.Typed;

namespace TypedBert.Generators.Parsing;

/// <summary>Compares what <see cref="FileScanner"/> read from the AdditionalFiles with one <c>[BertLabels]</c> enum.</summary>
internal static class FileChecker
{
    /// <summary>A training file whose label column is text, not labels, would otherwise give one error per row.</summary>
    internal const int MaxUnknownLabels = 10;

    /// <summary>Above this ratio of the most to the least frequent label, TB0203 suggests class weights.</summary>
    internal const int ImbalanceRatio = 10;

    static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static Location At(string filePath, FilePosition position) =>
        Location.Create(filePath, new TextSpan(position.Start, position.Length),
            new LinePositionSpan(new LinePosition(position.Line, 0), new LinePosition(position.Line, position.Length)));

    public static IEnumerable<DiagnosticInfo> CheckData(FileChecks checks, IEnumerable<DataFileScan> scans)
    {
        if (checks.Data is not { } request) yield break;
        var scan = scans.FirstOrDefault(s => s.Request == request);
        if (scan is null)
        {
            yield return new DiagnosticInfo(Diagnostics.TrainingDataUnreadable.Id, checks.DataLocation, new[] { request.Path, checks.EnumName,
                $"it is not an AdditionalFiles item of this project; check that the path is relative to the project folder, or add <AdditionalFiles Include=\"{request.Path}\" /> to the project" });
            yield break;
        }
        if (scan.MissingColumn is { } column)
        {
            bool isLabel = column == request.LabelColumn;
            yield return new DiagnosticInfo(Diagnostics.TrainingDataColumnMissing.Id, At(scan.FilePath, scan.ErrorAt),
                new[] { request.Path, column, scan.Columns ?? "", isLabel ? "labels" : "texts", isLabel ? "LabelColumn" : "TextColumn" });
            yield break;
        }
        if (scan.Error is { } reason)
        {
            yield return new DiagnosticInfo(Diagnostics.TrainingDataUnreadable.Id, At(scan.FilePath, scan.ErrorAt), new[] { request.Path, checks.EnumName, reason });
            yield break;
        }

        // The labels a cell may name, as the generated TryParse reads them: label or member name ignoring case, or an id.
        var counts = new int[checks.Labels.Count];
        var firstSeen = new FilePosition?[checks.Labels.Count];
        var unknown = new Dictionary<string, (int Count, FilePosition First)>(StringComparer.Ordinal);
        var unknownOrder = new List<string>();
        foreach (var cell in scan.Cells)
        {
            var parts = checks.IsFlags
                ? cell.Value.Split(new[] { FileScanner.LabelSeparator }, StringSplitOptions.RemoveEmptyEntries)
                : new[] { cell.Value };
            foreach (var part in parts)
            {
                int id = Find(checks.Labels, part.Trim());
                if (id >= 0)
                {
                    counts[id] += cell.Count;
                    firstSeen[id] ??= cell.First;
                }
                else if (unknown.TryGetValue(part, out var seen)) unknown[part] = (seen.Count + cell.Count, seen.First);
                else
                {
                    unknown[part] = (cell.Count, cell.First);
                    unknownOrder.Add(part);
                }
            }
        }
        foreach (var part in unknownOrder.Take(MaxUnknownLabels))
            yield return new DiagnosticInfo(Diagnostics.UnknownTrainingLabel.Id, At(scan.FilePath, unknown[part].First),
                new[] { part, Int(unknown[part].Count), checks.EnumName, Closest(checks.Labels, part.Trim()) });

        for (int id = 0; id < counts.Length; id++)
            if (counts[id] == 0)
                yield return new DiagnosticInfo(Diagnostics.LabelWithoutExamples.Id, At(scan.FilePath, scan.Header),
                    new[] { checks.Labels[id].Label, checks.EnumName, Int(scan.Rows) });

        var present = Enumerable.Range(0, counts.Length).Where(id => counts[id] > 0).ToList();
        if (present.Count >= 2)
        {
            // Ties go to the lower id, so the message is the same from build to build.
            int most = present.OrderByDescending(id => counts[id]).ThenBy(id => id).First();
            int least = present.OrderBy(id => counts[id]).ThenBy(id => id).First();
            if (counts[most] > (long)ImbalanceRatio * counts[least])
                yield return new DiagnosticInfo(Diagnostics.ClassImbalance.Id, At(scan.FilePath, firstSeen[most]!.Value),
                    new[] { checks.Labels[most].Label, Int(counts[most]), Int(counts[most] / counts[least]), Int(counts[least]), checks.Labels[least].Label });
        }
    }

    /// <summary>The id of the member that <paramref name="text"/> names as the generated TryParse reads it (label or member name ignoring case, or an id), or -1.</summary>
    internal static int Find(EquatableArray<LabelMemberSpec> labels, string text)
    {
        for (int id = 0; id < labels.Count; id++)
            if (LabelMatching.NameComparer.Equals(text, labels[id].Label) || LabelMatching.NameComparer.Equals(text, labels[id].MemberName))
                return id;
        return LabelMatching.TryParseId(text, labels.Count, out int number) ? number : -1;
    }

    /// <summary>The members whose label or name is fewest edits away from <paramref name="text"/> (ignoring case); at most three.</summary>
    internal static string Closest(EquatableArray<LabelMemberSpec> labels, string text)
    {
        var ranked = labels
            .Select(m => (Member: m, Distance: Math.Min(LabelMatching.EditDistance(text, m.Label), LabelMatching.EditDistance(text, m.MemberName))))
            .OrderBy(r => r.Distance).ThenBy(r => r.Member.Value)
            .ToList();
        int best = ranked[0].Distance;
        return string.Join(", ", ranked.Where(r => r.Distance == best).Take(3)
            .Select(r => r.Member.Label == r.Member.MemberName ? $"'{r.Member.Label}'" : $"'{r.Member.Label}' ({r.Member.MemberName})"));
    }

    public static IEnumerable<DiagnosticInfo> CheckModel(FileChecks checks, IEnumerable<ModelConfigScan> scans)
    {
        if (checks.ModelPath is not { } modelPath) yield break;
        // Without the folder's config.json among the AdditionalFiles (a model not trained yet) there is nothing to check.
        if (scans.FirstOrDefault(s => s.ModelPath == modelPath) is not { } scan) yield break;
        if (scan.Error is { } reason)
        {
            yield return new DiagnosticInfo(Diagnostics.ModelConfigUnreadable.Id, At(scan.FilePath, scan.At), new[] { modelPath, checks.EnumName, reason });
            yield break;
        }
        var differences = ModelLabelCheck.Differences(checks.Labels.Select(m => m.Label).ToList(), scan.Labels.ToList(), checks.EnumName);
        if (differences.Count > 0)
            yield return new DiagnosticInfo(Diagnostics.ModelLabelsDiffer.Id, At(scan.FilePath, scan.At),
                new[] { modelPath, checks.EnumName, string.Join("; ", differences) });
    }
}
