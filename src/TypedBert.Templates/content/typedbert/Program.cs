// Fine-tunes the embedded MiniLM on data/train.tsv, evaluates on data/test.tsv, saves to model/, then predicts with the
// typed calls. Delete model/ to train again.
using System.Globalization;
using TypedBert;
using TypedBert.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string data = Path.Combine(AppContext.BaseDirectory, "data");
const string modelFolder = "model";   // the folder [BertLabels(ModelPath = ...)] names

if (!Directory.Exists(modelFolder))
{
    var train = TypedBertAppLabels.ReadExamples(Path.Combine(data, "train.tsv"));   // (string Text, TypedBertApp Label) pairs
    var test = TypedBertAppLabels.ReadExamples(Path.Combine(data, "test.tsv"));
    using var classifier = TypedBertAppTraining.CreateClassifier();                  // minilm-l6-uncased + a new head
    var testExamples = test.Select(TypedBertAppClassifier.ToExample).ToList();
    Console.WriteLine($"{train.Count} training and {test.Count} test examples");
    Console.WriteLine($"before fine-tuning: {Evaluation.Run(classifier.Inner, testExamples)}");

    var run = classifier.Train(train, TypedBertAppTraining.Options, evaluation: test);
    foreach (var epoch in run.Epochs)
        Console.WriteLine($"epoch {epoch.Epoch}/{run.Epochs.Count}: training loss {epoch.TrainingLoss:0.0000}, {epoch.Evaluation}");
    Console.WriteLine($"after fine-tuning ({run.Elapsed.TotalSeconds:0} s): {Evaluation.Run(classifier.Inner, testExamples)}");
    classifier.Save(modelFolder);
}

string[] texts = args.Length > 0 ? args : [File.ReadLines(Path.Combine(data, "test.tsv")).Skip(1).First().Split('\t')[0]];
foreach (string text in texts)
{
#if (flags)
    TypedBertApp labels = TypedBertApp.Predict(text);                 // the combination of every label over its threshold
#else
    TypedBertApp labels = TypedBertApp.Predict(text);                 // the most probable label
#endif
    TypedBertAppScores scores = TypedBertApp.PredictScores(text);     // one probability per label: scores[TypedBertApp.X]
    string all = string.Join(", ", TypedBertAppLabels.Names.Select((name, id) => $"{name} {scores[TypedBertAppLabels.FromId(id)]:P1}"));
    Console.WriteLine($"\"{text}\" -> {labels} ({all})");
}
