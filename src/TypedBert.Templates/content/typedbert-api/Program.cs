// Fine-tunes the classifier on data/train.tsv the first time it starts (model/ missing), then serves it:
// POST /predict, GET /model, GET /health, the playground at / and the OpenAPI reference at /scalar/.
// It listens where "urls" in appsettings.json says (127.0.0.1:5000), or --urls. Set an API key with the environment variable TypedBert__ApiKey (or TypedBert:ApiKey in appsettings.json).
using TypedBert;
using TypedBert.Server;

const string modelFolder = "model";   // the folder [BertLabels(ModelPath = ...)] names
var builder = WebApplication.CreateBuilder(args);

if (!Directory.Exists(modelFolder))
{
    string data = Path.Combine(AppContext.BaseDirectory, "data");
    var train = TypedBertAppLabels.ReadExamples(Path.Combine(data, "train.tsv"));   // (string Text, TypedBertApp Label) pairs
    var test = TypedBertAppLabels.ReadExamples(Path.Combine(data, "test.tsv"));
    using var classifier = TypedBertAppTraining.CreateClassifier();
    var run = classifier.Train(train, TypedBertAppTraining.Options, evaluation: test);
    Console.WriteLine($"fine-tuned in {run.Elapsed.TotalSeconds:0} s: {run.Epochs[^1].Evaluation}");
    classifier.Save(modelFolder);
}

builder.Services.AddTypedBertServer(new TypedBertServerOptions
{
    ModelPath = modelFolder,
    ApiKey = builder.Configuration["TypedBert:ApiKey"] is { Length: > 0 } key ? key : null,
});
var app = builder.Build();
app.MapTypedBert();

// The typed classifier beside the generic endpoints: TypedBertApp.Predict loads model/ on first use.
app.MapGet("/label", (string text) => TypedBertApp.Predict(text).ToString());

app.Run();
