namespace TypedBert.Metrics;

/// <summary>Precision, recall, F1 and support of one label.</summary>
public sealed record LabelMetrics(string Label, double Precision, double Recall, double F1, int Support);

/// <summary>
/// Single-label classification metrics: accuracy, per-label precision/recall/F1, macro and micro averages, and the confusion matrix
/// (rows: true label, columns: predicted label). Labels with no true and no predicted examples count as 0 in the macro average,
/// as scikit-learn's <c>zero_division=0</c> does.
/// </summary>
public sealed record ClassificationReport(
    double Accuracy, IReadOnlyList<LabelMetrics> PerLabel, double MacroPrecision, double MacroRecall, double MacroF1,
    double MicroPrecision, double MicroRecall, double MicroF1, int[,] ConfusionMatrix, int Count)
{
    /// <summary>Computes the report from predicted and true label ids.</summary>
    public static ClassificationReport Compute(IReadOnlyList<int> predicted, IReadOnlyList<int> actual, IReadOnlyList<string> labels)
    {
        if (predicted.Count != actual.Count) throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} examples", nameof(predicted));
        int n = labels.Count;
        var confusion = new int[n, n];
        int correct = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            confusion[actual[i], predicted[i]]++;
            if (actual[i] == predicted[i]) correct++;
        }
        var perLabel = new List<LabelMetrics>();
        for (int label = 0; label < n; label++)
        {
            int truePositive = confusion[label, label];
            int predictedCount = Enumerable.Range(0, n).Sum(r => confusion[r, label]);
            int support = Enumerable.Range(0, n).Sum(c => confusion[label, c]);
            double precision = Ratio(truePositive, predictedCount);
            double recall = Ratio(truePositive, support);
            perLabel.Add(new LabelMetrics(labels[label], precision, recall, F1(precision, recall), support));
        }
        // Single-label micro averages all equal accuracy: every error is one false positive and one false negative.
        double accuracy = Ratio(correct, actual.Count);
        return new ClassificationReport(accuracy, perLabel,
            perLabel.Average(m => m.Precision), perLabel.Average(m => m.Recall), perLabel.Average(m => m.F1),
            accuracy, accuracy, accuracy, confusion, actual.Count);
    }

    internal static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    internal static double F1(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}

/// <summary>Multi-label metrics: subset accuracy, Hamming loss, per-label and averaged precision/recall/F1.</summary>
public sealed record MultiLabelReport(
    double SubsetAccuracy, double HammingLoss, IReadOnlyList<LabelMetrics> PerLabel,
    double MacroPrecision, double MacroRecall, double MacroF1, double MicroPrecision, double MicroRecall, double MicroF1, int Count)
{
    /// <summary>Computes the report from predicted and true label sets, as bool[example][label].</summary>
    public static MultiLabelReport Compute(IReadOnlyList<bool[]> predicted, IReadOnlyList<bool[]> actual, IReadOnlyList<string> labels)
    {
        if (predicted.Count != actual.Count) throw new ArgumentException($"{predicted.Count} predictions for {actual.Count} examples", nameof(predicted));
        int n = labels.Count, exact = 0, wrongCells = 0;
        var tp = new int[n];
        var fp = new int[n];
        var fn = new int[n];
        for (int i = 0; i < actual.Count; i++)
        {
            bool allRight = true;
            for (int label = 0; label < n; label++)
            {
                bool p = predicted[i][label], a = actual[i][label];
                if (p && a) tp[label]++;
                else if (p) fp[label]++;
                else if (a) fn[label]++;
                if (p != a) { allRight = false; wrongCells++; }
            }
            if (allRight) exact++;
        }
        var perLabel = Enumerable.Range(0, n).Select(label =>
        {
            double precision = ClassificationReport.Ratio(tp[label], tp[label] + fp[label]);
            double recall = ClassificationReport.Ratio(tp[label], tp[label] + fn[label]);
            return new LabelMetrics(labels[label], precision, recall, ClassificationReport.F1(precision, recall), tp[label] + fn[label]);
        }).ToList();
        double microPrecision = ClassificationReport.Ratio(tp.Sum(), tp.Sum() + fp.Sum());
        double microRecall = ClassificationReport.Ratio(tp.Sum(), tp.Sum() + fn.Sum());
        return new MultiLabelReport(
            ClassificationReport.Ratio(exact, actual.Count), actual.Count == 0 ? 0 : (double)wrongCells / (actual.Count * n), perLabel,
            perLabel.Average(m => m.Precision), perLabel.Average(m => m.Recall), perLabel.Average(m => m.F1),
            microPrecision, microRecall, ClassificationReport.F1(microPrecision, microRecall), actual.Count);
    }
}

/// <summary>Regression metrics over every output.</summary>
public sealed record RegressionReport(double MeanSquaredError, double MeanAbsoluteError, int Count)
{
    /// <summary>Computes the report.</summary>
    public static RegressionReport Compute(IReadOnlyList<float[]> predicted, IReadOnlyList<float[]> actual)
    {
        double squared = 0, absolute = 0;
        int cells = 0;
        for (int i = 0; i < actual.Count; i++)
            for (int j = 0; j < actual[i].Length; j++, cells++)
            {
                double d = predicted[i][j] - actual[i][j];
                squared += d * d;
                absolute += Math.Abs(d);
            }
        return new RegressionReport(cells == 0 ? 0 : squared / cells, cells == 0 ? 0 : absolute / cells, actual.Count);
    }
}
