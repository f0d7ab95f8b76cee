using TypedBert.Classification;
using TypedBert.Serialization;

namespace TypedBert.Calibration;

/// <summary>What threshold calibration of a multi-label model found on held-out rows: a threshold per label and the F1 before and after.</summary>
/// <param name="Rows">Held-out rows used.</param>
/// <param name="Labels">Per label, in label-id order.</param>
/// <param name="MicroF1Before">F1 over every (row, label) decision with the model's thresholds before.</param>
/// <param name="MicroF1After">The same with the chosen thresholds.</param>
public sealed record ThresholdReport(int Rows, IReadOnlyList<LabelThreshold> Labels, double MicroF1Before, double MicroF1After)
{
    /// <summary>The chosen thresholds in label-id order.</summary>
    public IReadOnlyList<float> Thresholds => [.. Labels.Select(l => l.Threshold)];

    /// <summary>The mean of the labels' F1 before.</summary>
    public double MacroF1Before => Labels.Average(l => l.F1Before);

    /// <summary>The mean of the labels' F1 after.</summary>
    public double MacroF1After => Labels.Average(l => l.F1After);

    /// <summary>Writes the thresholds into the <c>config.json</c> of the model folder <paramref name="modelFolder"/> (atomically), so every engine, the server and the typed API apply them.</summary>
    public void SaveTo(string modelFolder)
    {
        string path = Path.Combine(modelFolder, "config.json");
        var config = SequenceClassificationConfig.Load(path);
        AtomicFile.WriteAllText(path, (config with { Thresholds = Thresholds }).ToJson());
    }

    /// <summary>Makes <paramref name="classifier"/> (and every classifier sharing its weights) decide with these thresholds; <see cref="TextClassifier.Save"/> then saves them.</summary>
    public void ApplyTo(TextClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        classifier.Recalibrate(config => config with { Thresholds = Thresholds });
    }
}
