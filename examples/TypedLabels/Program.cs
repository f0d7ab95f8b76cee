// The enum is the label set: the generator writes SentimentLabels, SentimentScores, SentimentClassifier and
// Sentiment.Predict(...). Labels are parsed from the data file by generated code, and a model whose id2label
// does not match the enum is refused when it loads.
using TypedBert;

const string modelFolder = "sentiment-typed-model";
if (!Directory.Exists(modelFolder))
{
    var train = SentimentLabels.ReadExamples(Path.Combine(AppContext.BaseDirectory, "data", "sentiment", "train.tsv"));
    var test = SentimentLabels.ReadExamples(Path.Combine(AppContext.BaseDirectory, "data", "sentiment", "test.tsv"));
    using var classifier = SentimentTraining.CreateClassifier();
    var run = classifier.Train(train, SentimentTraining.Options, evaluation: test);
    Console.WriteLine($"fine-tuned in {run.Elapsed.TotalSeconds:0} s: {run.Epochs[run.BestEpoch - 1].Evaluation}");
    classifier.Save(modelFolder);
}

// [BertLabels(ModelPath = ...)] tells Sentiment.Predict where the fine-tuned model is.
Sentiment verdict = Sentiment.Predict("This movie was absolutely fantastic!");
SentimentScores scores = Sentiment.PredictScores("This movie was absolutely fantastic!");
Console.WriteLine($"{verdict}: {scores.Positive:P2} positive, {scores.Negative:P2} negative");

foreach (var (text, label) in new[] { "A tedious, joyless slog.", "Charming from start to finish." }.Zip(Sentiment.PredictBatch(["A tedious, joyless slog.", "Charming from start to finish."])))
    Console.WriteLine($"{label,-8} {text}");

[BertLabels(Model = "minilm-l6-uncased", ModelPath = "sentiment-typed-model")]
public enum Sentiment { Negative, Positive }

// Checked at compile time: a MaxLength above 512 or FreezeLayers above 6 would not build (TB0101, TB0102).
[BertTrainingConfig(typeof(Sentiment), Epochs = 4, LearningRate = 1e-4, BatchSize = 16, WarmupRatio = 0.1)]
public partial class SentimentTraining;
