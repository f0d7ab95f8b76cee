// The classic BERT transfer-learning flow, in C#: take a pre-trained encoder, add a classification head,
// fine-tune on a few hundred labelled sentences, evaluate, save, predict.
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;

string data = Path.Combine(AppContext.BaseDirectory, "data", "sentiment");
var labels = new LabelSet(["Negative", "Positive"]);
var train = TrainingExample.FromRows(DataFile.Read(Path.Combine(data, "train.tsv"), new DataColumns()), labels, ProblemType.SingleLabel);
var test = TrainingExample.FromRows(DataFile.Read(Path.Combine(data, "test.tsv"), new DataColumns()), labels, ProblemType.SingleLabel);

// "minilm-l6-uncased" is embedded: no download, imported once into ~/.cache/typedbert.
using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names);
Console.WriteLine($"Before fine-tuning: {Evaluation.Run(classifier, test)}");

var trainer = new Trainer(classifier, new TrainingOptions { Epochs = 4, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1 });
var run = trainer.Train(train, test, new Progress<TrainingProgress>(p =>
{
    if (p.Evaluation is not null) Console.WriteLine($"epoch {p.Epoch}/{p.Epochs}: {p.Evaluation} ({p.ExamplesPerSecond:0} examples/s)");
}));
Console.WriteLine($"After fine-tuning ({run.Elapsed.TotalSeconds:0} s, best epoch {run.BestEpoch}): {Evaluation.Run(classifier, test)}");

classifier.Save("sentiment-model");
using var reloaded = TextClassifier.Load("sentiment-model");
var prediction = reloaded.Predict("This movie was absolutely fantastic!");
Console.WriteLine($"\"This movie was absolutely fantastic!\" -> {prediction}");
