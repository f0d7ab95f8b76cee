using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

/// <summary>
/// Listens while the model trains, so that a client or a load balancer sees a server that is starting instead of a refused
/// connection: <c>GET /health</c> answers 503 with <c>{"status": "starting"}</c> and how far training is, every other path
/// 503 with an error. Disposing it frees its addresses for the real server (<see cref="Addresses"/>, port 0 resolved).
/// </summary>
sealed class StartingServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly TrainingLog log = new();
    bool disposed;

    StartingServer(WebApplication app) => this.app = app;

    /// <summary>Where it listens: the addresses the real server takes over.</summary>
    public IReadOnlyList<string> Addresses => [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

    /// <summary>Starts listening where the real server would (appsettings.json's "urls", or --urls).</summary>
    public static async Task<StartingServer> StartAsync(string[] args)
    {
        var app = WebApplication.CreateBuilder(ProjectFiles.WebOptions(args)).Build();
        var server = new StartingServer(app);
        app.Use(async (context, next) =>
        {
            context.Response.Headers.RetryAfter = "5";
            await next(context);
        });
        app.MapGet("/health", () => Results.Json(Starting.From(server.log.Latest), statusCode: StatusCodes.Status503ServiceUnavailable));
        app.MapFallback(() => Results.Json(new { error = "the model is training; try again when /health answers 200" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        await app.StartAsync();
        return server;
    }

    /// <summary>
    /// Fine-tunes on data/train.tsv, evaluates on data/test.tsv each epoch and saves to model/, printing progress. False when
    /// the app was told to stop (Ctrl+C) before training ended: then nothing is saved.
    /// </summary>
    public async Task<bool> TrainAsync() => await Task.Run(() =>
    {
        var stopping = app.Lifetime.ApplicationStopping;
        var train = TypedBertEnumLabels.ReadExamples(ProjectFiles.TrainingData);   // (string Text, TypedBertEnum Label) pairs
        var test = TypedBertEnumLabels.ReadExamples(ProjectFiles.TestData);
        Console.WriteLine($"training on {train.Count} examples before serving; /health answers \"starting\" meanwhile");
        using var classifier = TypedBertEnumTraining.CreateClassifier();
        TypedBert.Training.TrainingResult run;
        try { run = classifier.Train(train, TypedBertEnumTraining.Options, evaluation: test, progress: log, cancellationToken: stopping); }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { return false; }
        Console.WriteLine($"fine-tuned in {run.Elapsed.TotalSeconds:0} s: {run.Epochs[run.BestEpoch - 1].Evaluation}");
        TrainedModel.Save(classifier);
        return true;
    });

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The body of <c>/health</c> while training.</summary>
    sealed record Starting(
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("epoch")] int Epoch,
        [property: JsonPropertyName("epochs")] int Epochs,
        [property: JsonPropertyName("step")] int Step,
        [property: JsonPropertyName("total_steps")] int TotalSteps)
    {
        public static Starting From(TypedBert.Training.TrainingProgress? progress) =>
            new("starting", progress?.Epoch ?? 0, progress?.Epochs ?? 0, progress?.Step ?? 0, progress?.TotalSteps ?? 0);
    }
}
