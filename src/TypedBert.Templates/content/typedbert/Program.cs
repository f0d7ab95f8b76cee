// Fine-tunes the embedded MiniLM on data/train.tsv, evaluates on data/test.tsv, saves to model/, then predicts with the
// typed calls. It trains again when the data or the settings in Labels.cs change (TrainedModel.cs); the paths
// come from ProjectFiles.cs, so it finds the same files from any current directory.
using System.Globalization;
using TypedBert;
using TypedBert.Training;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (!TrainedModel.IsCurrent())
{
    var train = TypedBertEnumLabels.ReadExamples(ProjectFiles.TrainingData);   // (string Text, TypedBertEnum Label) pairs
    var test = TypedBertEnumLabels.ReadExamples(ProjectFiles.TestData);
    using var classifier = TypedBertEnumTraining.CreateClassifier();          // minilm-l6-uncased + a new head
    Console.WriteLine($"{train.Count} training and {test.Count} test examples");
    Console.WriteLine($"before fine-tuning: {classifier.Evaluate(test)}");

    var run = classifier.Train(train, TypedBertEnumTraining.Options, evaluation: test, progress: new TrainingLog());
    Console.WriteLine($"after fine-tuning ({run.Elapsed.TotalSeconds:0} s, the model of epoch {run.BestEpoch}): {classifier.Evaluate(test)}");
    TrainedModel.Save(classifier);
}
TypedBertEnumClassifier.Default = TypedBertEnumClassifier.Load(ProjectFiles.Model);   // what TypedBertEnum.Predict uses

string[] texts = args.Length > 0 ? args : [File.ReadLines(ProjectFiles.TestData).Skip(1).First().Split('\t')[0]];
foreach (string text in texts)
{
#if (flags)
    TypedBertEnum labels = TypedBertEnum.Predict(text);                 // the combination of every label over its threshold
#else
    TypedBertEnum labels = TypedBertEnum.Predict(text);                 // the most probable label
#endif
    TypedBertEnumScores scores = TypedBertEnum.PredictScores(text);     // one probability per label: scores[TypedBertEnum.X]
    string all = string.Join(", ", TypedBertEnumLabels.Names.Select((name, id) => $"{name} {scores[TypedBertEnumLabels.FromId(id)]:P1}"));
    Console.WriteLine($"\"{text}\" -> {labels} ({all})");
}
