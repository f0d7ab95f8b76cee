// Serves the classifier in model/: POST /predict, GET /model, GET /health, the playground at / and the OpenAPI reference at
// /scalar/. When model/ is missing or out of date (the data or settings changed: TrainedModel.cs), it first
// fine-tunes on data/train.tsv, already listening: /health answers 503 "starting" with the progress (StartingServer.cs).
// It listens where "urls" in appsettings.json says (127.0.0.1:5000), or --urls. Set an API key with the environment variable TypedBert__ApiKey (or TypedBert:ApiKey in appsettings.json).
using TypedBert;
using TypedBert.Server;

await using StartingServer? starting = TrainedModel.IsCurrent() ? null : await StartingServer.StartAsync(args);
if (starting is not null && !await starting.TrainAsync()) return;   // stopped (Ctrl+C) while training

var builder = WebApplication.CreateBuilder(ProjectFiles.WebOptions(args));
if (starting is not null) builder.WebHost.UseUrls([.. starting.Addresses]);   // the same addresses, a port 0 included
builder.Services.AddTypedBertServer(new TypedBertServerOptions
{
    ModelPath = ProjectFiles.Model,
    ApiKey = builder.Configuration["TypedBert:ApiKey"] is { Length: > 0 } key ? key : null,
});
var app = builder.Build();
app.MapTypedBert();

// The typed classifier beside the generic endpoints: TypedBertEnum.Predict uses this model.
TypedBertEnumClassifier.Default = TypedBertEnumClassifier.Load(ProjectFiles.Model);
app.MapGet("/label", (string text) => TypedBertEnum.Predict(text).ToString());

// The model is loaded before the starting server lets its addresses go, so that they are unanswered for milliseconds only.
app.Services.GetRequiredService<ServedModel>();
if (starting is not null) await starting.DisposeAsync();
app.Run();
