// Long text: a review whose verdict comes after a long plot summary. Truncation reads only the start;
// a sliding window reads all of it and aggregates the windows' logits.
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;

var labels = new LabelSet(["Negative", "Positive"]);
var train = ExampleData.Read(ExampleData.Shipped("sentiment", "train.tsv"), labels, ProblemType.SingleLabel);
using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names);
new Trainer(classifier, new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1 }).Train(train);

string summary = string.Concat(Enumerable.Repeat(
    "The story follows a retired lighthouse keeper who travels north to find his estranged brother, meeting a ferry captain, " +
    "a schoolteacher and a family of fishermen along the way, and each of them tells him about the winter the harbour froze. ", 12));
string review = summary + "Honestly, though, it was a tedious, lifeless slog: the acting is wooden, the dialogue is painful and I regret every minute I spent on it.";
classifier.MaxLength = 128; // short windows make the difference visible; 512 is the model's limit
Console.WriteLine($"review: {classifier.Tokenizer.Tokenize(review).Count} tokens; the verdict is in the last sentence");

classifier.LongText = new LongTextOptions { Strategy = LongTextStrategy.Truncate };
Console.WriteLine($"truncated to {classifier.MaxLength} tokens:  {classifier.Predict(review)}");

foreach (var aggregation in new[] { WindowAggregation.Mean, WindowAggregation.Max })
{
    classifier.LongText = new LongTextOptions { Strategy = LongTextStrategy.SlidingWindow, Stride = 64, Aggregation = aggregation };
    var prediction = classifier.Predict(review);
    Console.WriteLine($"sliding window ({prediction.Windows} windows, {aggregation}):  {prediction}");
}
