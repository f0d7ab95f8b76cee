using System.Globalization;
using System.Text;
using System.Text.Json;
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
        var widths = header.Select((h, i) => Math.Max(h.Length, all.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));
        Console.WriteLine(Line(header));
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all) Console.WriteLine(Line(row));
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
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, Json) + "\n");
        Console.WriteLine($"wrote {path}");
    }

    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);

    public static string Escape(string text) => new StringBuilder(text).Replace("\n", "\\n").Replace("\t", "\\t").ToString();
}
