using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Telemetry;

namespace TypedBert.Server.Batching;

/// <summary>The batcher of one served model, with its metrics and its log scope.</summary>
internal static class ServedBatcher
{
    public static PredictionBatcher Create(ServedModel model, TypedBertServerOptions options, IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILogger<PredictionBatcher>>();
        // The batching loop starts inside this scope and keeps it (logging scopes flow with the execution context): every line the
        // batcher logs names the model and its version.
        using var scope = logger.BeginScope(model.LogScope);
        return new PredictionBatcher(model.Classifier, options.MaxBatchSize, options.MaxBatchDelay, logger)
        {
            Observer = new BatchTelemetry(services.GetRequiredService<ServerMetrics>(), model.Info.Model, model.Version),
        };
    }
}
