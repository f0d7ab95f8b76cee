using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Batching;
using TypedBert.Server.Health;
using TypedBert.Server.Security;

namespace TypedBert.Server;

/// <summary>Registers the prediction server's services; map its endpoints with <see cref="TypedBertEndpointRouteBuilderExtensions.MapTypedBert"/>.</summary>
public static class TypedBertServerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the model (loaded when the host starts), the batcher, the API key check and the OpenAPI document.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is out of range or the model folder does not exist.</exception>
    public static IServiceCollection AddTypedBertServer(this IServiceCollection services, TypedBertServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<ServedModel>();
        services.AddSingleton(provider => new PredictionBatcher(provider.GetRequiredService<ServedModel>().Classifier,
            options.MaxBatchSize, options.MaxBatchDelay, provider.GetRequiredService<ILogger<PredictionBatcher>>()));
        services.AddSingleton<PredictEndpoint>();
        services.AddSingleton<ServerReadiness>();
        services.AddHostedService<ServedModelStartup>();
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
