using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Batching;
using TypedBert.Server.Health;
using TypedBert.Server.Repository;
using TypedBert.Server.Security;
using TypedBert.Server.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TypedBert.Server;

/// <summary>Registers the prediction server's services; map its endpoints with <see cref="TypedBertEndpointRouteBuilderExtensions.MapTypedBert"/>.</summary>
public static class TypedBertServerServiceCollectionExtensions
{
    // The activity source of ASP.NET Core's request activities.
    const string AspNetCoreActivitySource = "Microsoft.AspNetCore";

    /// <summary>
    /// Adds the model (loaded when the host starts) and its batcher, or the model repository and its watcher, or both, the API key check, the OpenAPI document, and (unless
    /// <see cref="TypedBertServerOptions.Metrics"/> is off) OpenTelemetry metrics with a Prometheus exporter and the server's traces.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range or the model folder does not exist.</exception>
    public static IServiceCollection AddTypedBertServer(this IServiceCollection services, TypedBertServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        if (options.HasSingleModel)
        {
            services.AddSingleton<ServedModel>();
            services.AddSingleton(provider => ServedBatcher.Create(provider.GetRequiredService<ServedModel>(), options, provider));
            services.AddHostedService<ServedModelStartup>();
        }
        if (options.RepositoryPath is not null)
        {
            services.AddSingleton<ModelRepository>();
            services.AddHostedService<RepositoryWatcher>();
        }
        if (options.LabelDataPath is not null) Labelling.LabellingServices.Add(services, options);
        services.AddSingleton<PredictEndpoint>();
        services.AddSingleton<ServerReadiness>();
        services.AddMetrics();
        services.AddSingleton<ServerMetrics>();
        if (options.Metrics || options.OtlpEndpoint is not null)
            services.AddOpenTelemetry()
                .WithMetrics(metrics =>
                {
                    metrics.AddMeter(ServerTelemetry.MeterName);
                    // No cache: a scrape sees every request answered before it (Prometheus scrapes every 15 s or more anyway).
                    if (options.Metrics) metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
                    OtlpExport.AddTo(metrics, options);
                })
                // ASP.NET Core's own source too: it makes each request's activity, the parent of the server's spans. Not listened to, that
                // activity is still made (for log scopes) but unsampled, and the sampler then drops every span under it: no trace at all.
                .WithTracing(tracing => OtlpExport.AddTo(tracing.AddSource(ServerTelemetry.ActivitySourceName, AspNetCoreActivitySource), options));
        if (options.ApiKey is not null) services.AddSingleton(new ApiKey(options.ApiKey));
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "TypedBert prediction server";
            document.Info.Description = "Text classification with a fine-tuned BERT model. The model is fixed when the server starts; no request can name a file or a path.";
            return Task.CompletedTask;
        }));
        return services;
    }
}
