// Long text: a review whose verdict comes after a long plot summary. Truncation reads only the start; a sliding window
// reads all of it and aggregates the windows' logits. The strategy is part of the training configuration below: the
// classifier trains on windows (each window an example with its review's label), and the saved model reads texts that way.
using TypedBert;
using TypedBert.Classification;

var train = SentimentLabels.ReadExamples(ExampleData.Shipped("sentiment", "train.tsv"));
using var classifier = ReviewTraining.CreateClassifier();
classifier.Train(train, ReviewTraining.Options);

string summary = string.Concat(Enumerable.Repeat(
    "The story follows a retired lighthouse keeper who travels north to find his estranged brother, meeting a ferry captain, " +
    "a schoolteacher and a family of fishermen along the way, and each of them tells him about the winter the harbour froze. ", 12));
string review = summary + "Honestly, though, it was a tedious, lifeless slog: the acting is wooden, the dialogue is painful and I regret every minute I spent on it.";
Console.WriteLine($"review: {classifier.Inner.Tokenizer.Tokenize(review).Count} tokens; the verdict is in the last sentence");

var windows = classifier.PredictDetails(review); // as trained: ReviewTraining's window, stride and aggregation
Console.WriteLine($"sliding window ({windows.Windows} windows, mean, as trained):  {windows}");

// Prediction settings are fixed per classifier; a copy over the same weights reads texts another way.
using (var byMax = classifier.WithSettings(new PredictionSettings { LongText = classifier.Inner.LongText with { Aggregation = WindowAggregation.Max } }))
{
    var max = byMax.PredictDetails(review);
    Console.WriteLine($"sliding window ({max.Windows} windows, max):  {max}");
}

using (var truncated = classifier.WithSettings(new PredictionSettings { LongText = new LongTextOptions { Strategy = LongTextStrategy.Truncate, WindowTokens = 128 } }))
    Console.WriteLine($"truncated to 128 tokens:  {truncated.PredictDetails(review)}");

[BertLabels(Model = "minilm-l6-uncased")]
public enum Sentiment { Negative, Positive }

// Checked at compile time against the base model: Window = 1024 (above its 512 positions, TB0112) or Stride = 200 (more
// than the window's 126 content tokens, TB0113) would not build; HeadTokens here would warn that windows ignore it (TB0116).
// Short windows make the difference visible; 512 is the model's limit.
[BertTrainingConfig(typeof(Sentiment), Epochs = 3, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1,
    LongText = LongTextStrategy.SlidingWindow, Window = 128, Stride = 64, MaxWindowsPerDocument = 4)]
public partial class ReviewTraining;
