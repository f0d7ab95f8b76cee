using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TypedBert.Cli.Terminal;
using TypedBert.Metrics;
using TypedBert.Serialization;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary>Readable tables on the console and JSON files for scripts.</summary>
internal static class Report
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        if (ConsoleOutput.Current.RichTables)
        {
            RichTable(header, all);
            return;
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, all.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all) Console.WriteLine(Line(row));
    }

    /// <summary>The same table framed, for a terminal; the first column is left-aligned, the others right-aligned.</summary>
    static void RichTable(IReadOnlyList<string> header, List<IReadOnlyList<string>> rows)
    {
        var table = new Spectre.Console.Table { Border = Spectre.Console.TableBorder.Rounded };
        for (int i = 0; i < header.Count; i++)
        {
            var column = new Spectre.Console.TableColumn(Spectre.Console.Markup.Escape(header[i]));
            table.AddColumn(i == 0 ? column.LeftAligned() : column.RightAligned());
        }
        foreach (var row in rows) table.AddRow(row.Select(Spectre.Console.Markup.Escape).ToArray());
        Spectre.Console.AnsiConsole.Write(table);
    }

    public static string F(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);

    public static void Evaluation(EvaluationResult result)
    {
        if (result.Classification is { } c)
        {
            Console.WriteLine($"accuracy {F(c.Accuracy * 100, "0.00")} %   macro F1 {F(c.MacroF1)}   micro F1 {F(c.MicroF1)}   loss {F(result.Loss)}   ({c.Count} examples)");
            Table(["label", "precision", "recall", "f1", "support"],
                c.PerLabel.Select(m => (IReadOnlyList<string>)[m.Label, F(m.Precision), F(m.Recall), F(m.F1), m.Support.ToString(CultureInfo.InvariantCulture)]));
            Console.WriteLine();
            Console.WriteLine("confusion matrix (rows: true label, columns: predicted)");
            var labels = c.PerLabel.Select(m => m.Label).ToList();
            Table(["", .. labels], labels.Select((l, i) => (IReadOnlyList<string>)[l, .. labels.Select((_, j) => c.ConfusionMatrix[i, j].ToString(CultureInfo.InvariantCulture))]));
        }
        else if (result.MultiLabel is { } m)
        {
            Console.WriteLine($"subset accuracy {F(m.SubsetAccuracy * 100, "0.00")} %   Hamming loss {F(m.HammingLoss)}   micro F1 {F(m.MicroF1)}   macro F1 {F(m.MacroF1)}   loss {F(result.Loss)}");
            Table(["label", "precision", "recall", "f1", "support"],
                m.PerLabel.Select(x => (IReadOnlyList<string>)[x.Label, F(x.Precision), F(x.Recall), F(x.F1), x.Support.ToString(CultureInfo.InvariantCulture)]));
        }
        else if (result.Regression is { } r)
        {
            Console.WriteLine($"MSE {F(r.MeanSquaredError)}   MAE {F(r.MeanAbsoluteError)}   ({r.Count} examples)");
        }
    }

    /// <summary>
    /// The run's summary: one row per epoch (training loss, learning rate, evaluation loss and metrics, time so far),
    /// the kept epoch marked with *.
    /// </summary>
    public static void Epochs(TrainingResult run)
    {
        var first = run.Epochs.Select(e => e.Evaluation).FirstOrDefault(e => e is not null);
        var metrics = first is null ? [] : SummaryMetrics(first).Select(m => m.Name).ToList();
        var header = new List<string> { "epoch", "train loss", "learning rate" };
        if (first is not null) header.Add("eval loss");
        header.AddRange(metrics);
        header.Add("elapsed");
        Table(header, run.Epochs.Select(e =>
        {
            var row = new List<string>
            {
                e.Epoch.ToString(CultureInfo.InvariantCulture) + (e.Epoch == run.BestEpoch ? " *" : ""), F(e.TrainingLoss),
                e.LearningRate.ToString("0.00e0", CultureInfo.InvariantCulture),
            };
            if (first is not null)
            {
                row.Add(e.Evaluation is null ? "-" : F(e.Evaluation.Loss));
                row.AddRange(e.Evaluation is null ? metrics.Select(_ => "-") : SummaryMetrics(e.Evaluation).Select(m => m.Value));
            }
            row.Add(Duration(e.Elapsed));
            return (IReadOnlyList<string>)row;
        }));
        Console.WriteLine($"best epoch {run.BestEpoch}{(run.StoppedEarly ? " (stopped early)" : "")}; {run.Steps} steps; wall time {Duration(run.Elapsed)}");
    }

    static List<(string Name, string Value)> SummaryMetrics(EvaluationResult result) =>
        result.Classification is { } c ? [("accuracy", F(c.Accuracy * 100, "0.00") + " %"), ("macro F1", F(c.MacroF1))]
        : result.MultiLabel is { } m ? [("subset accuracy", F(m.SubsetAccuracy * 100, "0.00") + " %"), ("micro F1", F(m.MicroF1)), ("Hamming loss", F(m.HammingLoss))]
        : [("MSE", F(result.Regression!.MeanSquaredError)), ("MAE", F(result.Regression.MeanAbsoluteError))];

    public static object EvaluationJson(EvaluationResult result) => new Dictionary<string, object?>
    {
        ["loss"] = result.Loss,
        ["accuracy"] = result.Classification?.Accuracy,
        ["macro_f1"] = result.Classification?.MacroF1 ?? result.MultiLabel?.MacroF1,
        ["micro_f1"] = result.Classification?.MicroF1 ?? result.MultiLabel?.MicroF1,
        ["macro_precision"] = result.Classification?.MacroPrecision ?? result.MultiLabel?.MacroPrecision,
        ["macro_recall"] = result.Classification?.MacroRecall ?? result.MultiLabel?.MacroRecall,
        ["subset_accuracy"] = result.MultiLabel?.SubsetAccuracy,
        ["hamming_loss"] = result.MultiLabel?.HammingLoss,
        ["mse"] = result.Regression?.MeanSquaredError,
        ["mae"] = result.Regression?.MeanAbsoluteError,
        ["per_label"] = (object?)result.Classification?.PerLabel ?? result.MultiLabel?.PerLabel,
        ["confusion_matrix"] = result.Classification is { } c
            ? Enumerable.Range(0, c.PerLabel.Count).Select(i => Enumerable.Range(0, c.PerLabel.Count).Select(j => c.ConfusionMatrix[i, j]).ToArray()).ToArray()
            : null,
        ["count"] = result.Classification?.Count ?? result.MultiLabel?.Count ?? result.Regression?.Count,
    };

    public static void WriteJson(string? path, object value)
    {
        if (path is null) return;
        string text = JsonSerializer.Serialize(value, Json) + "\n";
        if (path == ConsoleOutput.StandardOutputPath)
        {
            ConsoleOutput.Current.Json.Write(text);
            ConsoleOutput.Current.Json.Flush();
            return;
        }
        AtomicFile.WriteAllText(path, text);
        Console.WriteLine($"wrote {path}");
    }

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string Escape(string text) => new StringBuilder(text).Replace("\n", "\\n").Replace("\t", "\\t").ToString();
}
