using TorchSharp;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Tests.Explanations;

/// <summary>
/// The embedded MiniLM fine-tuned on 160 SST-2 training sentences (2 epochs, 32 tokens: seconds on one thread), and a copy of it
/// whose head is re-initialised. Built on first use, so tests skip cleanly when the shared data is missing.
/// </summary>
public sealed class FineTunedSst2 : IDisposable
{
    readonly Lazy<TextClassifier> trained = new(Train);
    readonly Lazy<TextClassifier> newHead;

    public FineTunedSst2() => newHead = new(() => WithNewHead(trained.Value));

    public TextClassifier Trained => trained.Value;

    public TextClassifier NewHead => newHead.Value;

    public static IReadOnlyList<string> TestSentences(int count, int minWords = 5) =>
        [.. DataFile.Read(Path.Combine(TestPaths.RequireSharedData(), "sst2", "test.tsv"), new DataColumns(Text: "sentence"))
            .Select(r => r.Text.Trim()).Where(t => t.Split(' ').Length >= minWords).Take(count)];

    static TextClassifier Train()
    {
        var labels = new LabelSet(["0", "1"]);
        string path = Path.Combine(TestPaths.RequireSharedData(), "sst2", "train.tsv");
        var rows = DataFile.Read(path, new DataColumns(Text: "sentence")).Where(r => r.Text.Split(' ').Length >= 6).Take(160);
        var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels.Names);
        new Trainer(classifier, new TrainingOptions { Epochs = 2, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1, MaxLength = 32, Threads = 1 })
            .Train(TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel), eval: null);
        return classifier;
    }

    /// <summary>The same encoder with the head drawn again (Adebayo et al.'s model-randomisation check).</summary>
    static TextClassifier WithNewHead(TextClassifier trained)
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-explain-").FullName;
        try
        {
            trained.Save(folder);
            var copy = TextClassifier.Load(folder);
            torch.manual_seed(7);
            using var noGrad = torch.no_grad();
            foreach (var (name, parameter) in copy.Model.named_parameters())
                if (copy.Model.IsHeadParameter(name)) torch.nn.init.normal_(parameter, 0, 0.5);
            return copy;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        if (newHead.IsValueCreated) newHead.Value.Dispose();
        if (trained.IsValueCreated) trained.Value.Dispose();
    }
}
