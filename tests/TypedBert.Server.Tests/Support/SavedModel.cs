using TypedBert.Classification;
using TypedBert.Pretrained;
using TypedBert.Tests;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// A small classifier saved once per test class: the embedded MiniLM encoder with an untrained two-label head,
/// which is all the protocol needs (the scores are real model outputs, just not meaningful ones).
/// </summary>
public sealed class SavedModel : IDisposable
{
    public static readonly string[] Labels = ["negative", "positive"];

    readonly TemporaryFolder folder = new();

    public SavedModel()
    {
        Path = System.IO.Path.Combine(folder.Path, "sentiment-model");
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, Labels);
        classifier.Save(Path);
    }

    /// <summary>The model folder.</summary>
    public string Path { get; }

    public void Dispose() => folder.Dispose();
}
