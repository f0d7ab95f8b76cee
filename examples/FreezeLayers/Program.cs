// Freezing: keep the embeddings and the lower encoder layers fixed. Fewer weights to update means faster steps
// and less overfitting on small data; the upper layers and the head still adapt.
using System.Diagnostics;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;

var labels = new LabelSet(["Negative", "Positive"]);
var train = ExampleData.Read(ExampleData.Shipped("sentiment", "train.tsv"), labels, ProblemType.SingleLabel);
var test = ExampleData.Read(ExampleData.Shipped("sentiment", "test.tsv"), labels, ProblemType.SingleLabel);

foreach (var (name, freezeEmbeddings, freezeLayers) in new[] { ("full fine-tuning", false, 0), ("frozen embeddings + layers 0-3", true, 4) })
{
    using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", labels.Names);
    var options = new TrainingOptions { Epochs = 3, BatchSize = 16, LearningRate = 1e-4, WarmupRatio = 0.1, FreezeEmbeddings = freezeEmbeddings, FreezeLayers = freezeLayers };
    int trainable = classifier.Model.named_parameters()
        .Where(p => !(freezeEmbeddings && p.name.StartsWith("bert.embeddings.")) && !Enumerable.Range(0, freezeLayers).Any(l => p.name.StartsWith($"bert.encoder.layer.{l}.")))
        .Sum(p => (int)p.parameter.numel());
    var clock = Stopwatch.StartNew();
    new Trainer(classifier, options).Train(train);
    var result = Evaluation.Run(classifier, test);
    Console.WriteLine($"{name,-32} {trainable / 1e6,5:0.0} M trainable weights  {clock.Elapsed.TotalSeconds,4:0} s  test {result}");
}
