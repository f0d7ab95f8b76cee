// Multi-class news topics (AG News) with a label name that is not an identifier ("Sci/Tech").
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;

string? shared = ExampleData.SharedData();
if (shared is null)
{
    Console.Error.WriteLine("This example reads AG News from ../shared/data/agnews; set TYPEDBERT_SHARED_DATA to the folder that holds agnews/.");
    return 2;
}
var labels = new LabelSet(["World", "Sports", "Business", "Sci/Tech"]);
// A slice keeps the example to a couple of minutes on 2 cores; `typedbert train` runs the full set (docs/results.md).
var train = ExampleData.Read(Path.Combine(shared, "agnews", "train.tsv"), labels, ProblemType.SingleLabel, take: 2000);
var test = ExampleData.Read(Path.Combine(shared, "agnews", "test.tsv"), labels, ProblemType.SingleLabel, take: 1000);

using var created = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names);
using var classifier = created.WithSettings(new PredictionSettings { MaxLength = 128 }); // the same weights, predicting 128 tokens at most
var run = new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1, MaxLength = 128, GroupByLength = true, LoggingSteps = 10 })
    .Train(train, progress: new Progress<TrainingProgress>(p => Console.WriteLine($"step {p.Step}/{p.TotalSteps} loss {p.Loss:0.000} ({p.ExamplesPerSecond:0} examples/s)")));
var report = Evaluation.Run(classifier, test).Classification!;
Console.WriteLine($"\naccuracy {report.Accuracy:P2}, macro F1 {report.MacroF1:0.0000} on {report.Count} test articles ({run.Elapsed.TotalSeconds:0} s of training)");
foreach (var label in report.PerLabel) Console.WriteLine($"  {label.Label,-9} precision {label.Precision:0.000} recall {label.Recall:0.000} F1 {label.F1:0.000}");

foreach (var text in new[] { "The central bank raised interest rates by half a point to fight inflation.", "The striker scored twice as the home side won the derby." })
{
    var best = classifier.Predict(text).Top(1)[0];
    Console.WriteLine($"{text}\n  -> {best.Label} ({best.Score:P1})");
}
return 0;
