using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Tests.Classification;

public sealed class FineTuningTests
{
    static List<TrainingExample> Sst2(string file, int count, int minWords, LabelSet labels)
    {
        string path = Path.Combine(TestPaths.RequireSharedData(), "sst2", file);
        var rows = DataFile.Read(path, new DataColumns(Text: "sentence")).Where(r => r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= minWords).Take(count);
        return TrainingExample.FromRows(rows, labels, ProblemType.SingleLabel);
    }

    [SkippableFact]
    public void Fine_tuning_on_200_SST2_sentences_beats_chance_by_a_wide_margin_on_held_out_rows()
    {
        var labels = new LabelSet(["0", "1"]);
        var train = Sst2("train.tsv", 200, minWords: 6, labels);
        var heldOut = Sst2("test.tsv", 200, minWords: 0, labels);
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, labels.Names);
        var before = Evaluation.Run(classifier, heldOut);

        var result = new Trainer(classifier, new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1 }).Train(train, heldOut);

        var after = Evaluation.Run(classifier, heldOut);
        Assert.True(after.Classification!.Accuracy >= 0.70, $"held-out accuracy {after.Classification.Accuracy:P1} (before fine-tuning {before.Classification!.Accuracy:P1})");
        Assert.True(after.Loss < before.Loss, $"loss {before.Loss} -> {after.Loss}");
        Assert.Equal(result.Epochs[result.BestEpoch - 1].Evaluation!.Classification!.Accuracy, after.Classification.Accuracy, 6);
    }
}
