using TypedBert.Classification;
using TypedBert.Serialization;

namespace TypedBert.Calibration;

/// <summary>What calibration found on held-out rows: the temperature and the calibration before and after it.</summary>
/// <param name="Rows">Held-out rows used.</param>
/// <param name="Temperature">The fitted temperature.</param>
/// <param name="EceBefore">Expected calibration error (15 bins) of the model's own probabilities.</param>
/// <param name="EceAfter">The same with the temperature applied.</param>
/// <param name="NllBefore">Mean negative log-likelihood before.</param>
/// <param name="NllAfter">Mean negative log-likelihood after.</param>
/// <param name="Accuracy">Accuracy on the rows (the same before and after: the temperature keeps the order of the logits).</param>
/// <param name="Before">The reliability diagram's bins before.</param>
/// <param name="After">The bins after.</param>
public sealed record CalibrationReport(int Rows, double Temperature, double EceBefore, double EceAfter, double NllBefore, double NllAfter, double Accuracy,
    IReadOnlyList<ReliabilityBin> Before, IReadOnlyList<ReliabilityBin> After)
{
    /// <summary>Writes the temperature into the <c>config.json</c> of the model folder <paramref name="modelFolder"/> (atomically), so every engine, the server and the typed API apply it.</summary>
    public void SaveTo(string modelFolder)
    {
        string path = Path.Combine(modelFolder, "config.json");
        var config = SequenceClassificationConfig.Load(path);
        AtomicFile.WriteAllText(path, (config with { Temperature = (float)Temperature }).ToJson());
    }

    /// <summary>Makes <paramref name="classifier"/> (and every classifier sharing its weights) apply this temperature; <see cref="TextClassifier.Save"/> then saves it.</summary>
    public void ApplyTo(TextClassifier classifier)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        classifier.Recalibrate(config => config with { Temperature = (float)Temperature });
    }
}
