// Multi-label support tickets: each ticket may be about billing, an outage, an account, be urgent, any combination, or none.
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;

var labels = new LabelSet(["Billing", "Outage", "Urgent", "Account"]);
var columns = new DataColumns(Text: "text", Label: "labels");
var train = ExampleData.Read(ExampleData.Shipped("tickets", "train.tsv"), labels, ProblemType.MultiLabel, columns);
var test = ExampleData.Read(ExampleData.Shipped("tickets", "test.tsv"), labels, ProblemType.MultiLabel, columns);

using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names, ProblemType.MultiLabel);
var run = new Trainer(classifier, new TrainingOptions { Epochs = 8, BatchSize = 16, LearningRate = 2e-4, WarmupRatio = 0.1 }).Train(train, test);
foreach (var epoch in run.Epochs) Console.WriteLine($"epoch {epoch.Epoch}: train loss {epoch.TrainingLoss:0.000}; test {epoch.Evaluation}");

var report = Evaluation.Run(classifier, test).MultiLabel!;
Console.WriteLine($"\nsubset accuracy {report.SubsetAccuracy:P1}, Hamming loss {report.HammingLoss:0.000}, micro F1 {report.MicroF1:0.000}");
foreach (var label in report.PerLabel) Console.WriteLine($"  {label.Label,-8} precision {label.Precision:0.000} recall {label.Recall:0.000} F1 {label.F1:0.000}");

foreach (var ticket in new[]
{
    "You charged my card three times for one order, refund it now, I need that money today!",
    "Can't log in since the password reset, the site just spins forever.",
    "Thanks for the quick help last week, all good now.",
})
{
    var prediction = classifier.Predict(ticket);
    Console.WriteLine($"{ticket}\n  -> [{string.Join(", ", prediction.Labels())}]  ({prediction})");
}
