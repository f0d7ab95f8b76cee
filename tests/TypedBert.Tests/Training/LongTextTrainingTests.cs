using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Pretrained;
using TypedBert.Training;

namespace TypedBert.Tests.Training;

/// <summary>
/// One test per long-text strategy on made-up documents whose label sits only in their last sentence, after the same ~100 tokens of
/// filler in every document: window training and inference, and head+tail, read the end; truncation to 32 tokens sees identical inputs
/// for every document and cannot do better than one label for all.
/// </summary>
public class LongTextTrainingTests
{
    const string Filler = "the weather report for the harbour said that the tide would turn at noon and that the boats would wait for the evening ferry . ";
    static readonly string[] Positive = ["in the end it was wonderful , a delight from start to finish .", "the ending was great and i loved it .", "a superb , joyful and moving film ."];
    static readonly string[] Negative = ["in the end it was awful , a bore from start to finish .", "the ending was terrible and i hated it .", "a dull , painful and tedious film ."];

    static List<TrainingExample> Documents(int perVerdict)
    {
        var documents = new List<TrainingExample>();
        for (int i = 0; i < perVerdict; i++)
            for (int v = 0; v < Positive.Length; v++)
            {
                documents.Add(TrainingExample.ForLabel(string.Concat(Enumerable.Repeat(Filler, 4)) + Positive[v], 1));
                documents.Add(TrainingExample.ForLabel(string.Concat(Enumerable.Repeat(Filler, 4)) + Negative[v], 0));
            }
        return documents;
    }

    static TextClassifier NewClassifier() => TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"], seed: 7);

    static TrainingOptions Options(LongTextOptions longText) => new()
    {
        Epochs = 4, BatchSize = 8, LearningRate = 2e-4, WarmupRatio = 0.1, Seed = 3, MaxLength = 32, LongText = longText,
    };

    static (TrainingResult Run, double Accuracy) TrainAndTest(TextClassifier classifier, LongTextOptions longText)
    {
        var test = Documents(2);
        var run = new Trainer(classifier, Options(longText)).Train(Documents(4), eval: test);
        return (run, Evaluation.Run(classifier, test).Classification!.Accuracy);
    }

    [Fact]
    public void Window_training_and_window_inference_read_the_end_of_each_document()
    {
        using var classifier = NewClassifier();
        var (run, accuracy) = TrainAndTest(classifier, new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, MaxWindowsPerDocument = 3 });
        Assert.True(classifier.Tokenizer.Tokenize(Documents(1)[0].Text).Count > 100);
        Assert.Equal(LongTextStrategy.SlidingWindow, classifier.LongText.Strategy); // kept for prediction and Save
        Assert.True(accuracy >= 0.9, $"window accuracy {accuracy}");
        // Evaluation during training scored documents, not windows, and the best epoch is the one with the best document accuracy.
        Assert.All(run.Epochs, e => Assert.Equal(12, e.Evaluation!.Classification!.Count));
        double best = run.Epochs.Max(e => e.Evaluation!.Classification!.Accuracy);
        Assert.Equal(best, run.Epochs.Single(e => e.Epoch == run.BestEpoch).Evaluation!.Classification!.Accuracy);
        // 24 documents of more than 3 windows each, at most 3 a document per epoch: 72 windows, 9 batches of 8 an epoch.
        Assert.Equal(4 * 9, run.Steps);

        // Saved and loaded, the model reads a long text the way it was trained.
        string folder = Directory.CreateTempSubdirectory("typedbert-window-").FullName;
        try
        {
            classifier.Save(folder);
            using var loaded = TextClassifier.Load(folder);
            var prediction = loaded.Predict(Documents(1)[0].Text);
            Assert.Equal("Positive", prediction.Label);
            Assert.Equal(classifier.Predict(Documents(1)[0].Text).Windows, prediction.Windows);
            Assert.True(prediction.Windows > 3, $"{prediction.Windows} windows");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Head_tail_training_reads_the_end_of_each_document()
    {
        using var classifier = NewClassifier();
        var (_, accuracy) = TrainAndTest(classifier, new LongTextOptions { Strategy = LongTextStrategy.HeadTail, HeadTokens = 8 });
        Assert.True(accuracy >= 0.9, $"head+tail accuracy {accuracy}");
        Assert.Equal(1, classifier.Predict(Documents(1)[0].Text).Windows);
    }

    [Fact]
    public void Truncation_cannot_read_the_end()
    {
        using var classifier = NewClassifier();
        var (_, accuracy) = TrainAndTest(classifier, new LongTextOptions { Strategy = LongTextStrategy.Truncate });
        // Every truncated input is the same filler: one prediction for all twelve documents, six of them right.
        Assert.Equal(0.5, accuracy);
    }

    [Fact]
    public void A_resume_with_other_long_text_settings_is_refused()
    {
        string folder = Directory.CreateTempSubdirectory("typedbert-longtext-resume-").FullName;
        try
        {
            var train = Documents(1)[..2];
            var window = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, MaxWindowsPerDocument = 2 };
            var options = Options(window) with { Epochs = 1, CheckpointDirectory = folder };
            using (var classifier = NewClassifier()) new Trainer(classifier, options).Train(train);
            string checkpoint = Directory.GetDirectories(folder).Single();
            using var other = NewClassifier();
            var error = Assert.Throws<InvalidOperationException>(() =>
                new Trainer(other, options with { ResumeFromCheckpoint = checkpoint, LongText = window with { Stride = 10 } }).Train(train));
            Assert.Contains("long text: window window 32 stride 15", error.Message);
            Assert.Contains("stride 10", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
