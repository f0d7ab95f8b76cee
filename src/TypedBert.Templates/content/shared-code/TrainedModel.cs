using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

/// <summary>
/// model/ is used while it matches what it was trained from: a fingerprint of the data files, the labels, the base model and
/// the training settings is saved in it, and a change to any of them trains again on the next run (no need to delete model/).
/// </summary>
static class TrainedModel
{
    const string FingerprintFile = "trained-from.sha256";

    /// <summary>The fingerprint of the current data, labels and settings.</summary>
    public static string Fingerprint { get; } = Compute();

    /// <summary>Whether model/ holds a classifier trained from exactly the current data, labels and settings.</summary>
    public static bool IsCurrent()
    {
        string saved = Path.Combine(ProjectFiles.Model, FingerprintFile);
        return File.Exists(saved) && File.ReadAllText(saved).Trim() == Fingerprint;
    }

    /// <summary>
    /// Saves into a sibling folder, writes the fingerprint last and renames the folder into place: model/ is either the old
    /// model or the whole new one, and a save cut short leaves no fingerprint, so the next run trains again.
    /// </summary>
    public static void Save(TypedBertEnumClassifier classifier)
    {
        string folder = ProjectFiles.Model;
        string staging = folder + ".saving";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        classifier.Save(staging);
        File.WriteAllText(Path.Combine(staging, FingerprintFile), Fingerprint + "\n");
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.Move(staging, folder);
    }

    static string Compute()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Part(byte[] bytes)
        {
            hash.AppendData(BitConverter.GetBytes(bytes.LongLength));   // the length first, so that parts cannot run into each other
            hash.AppendData(bytes);
        }
        // A missing file is reported by ReadExamples when the program reads it to train.
        foreach (string file in new[] { ProjectFiles.TrainingData, ProjectFiles.TestData })
            Part(File.Exists(file) ? File.ReadAllBytes(file) : []);
        Part(Encoding.UTF8.GetBytes(string.Join("\n", TypedBertEnumLabels.Names)));
        Part(Encoding.UTF8.GetBytes(TypedBertEnumClassifier.BaseModel));
        Part(JsonSerializer.SerializeToUtf8Bytes(TypedBertEnumTraining.Options));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
