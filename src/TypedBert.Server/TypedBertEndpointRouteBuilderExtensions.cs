using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using TypedBert.Server.Batching;
using TypedBert.Server.Health;
using TypedBert.Server.Playground;
using TypedBert.Server.Protocol;
using TypedBert.Server.Repository;
using TypedBert.Server.Security;
using TypedBert.Server.Telemetry;

namespace TypedBert.Server;

/// <summary>The prediction server's endpoints, for any ASP.NET Core application that called <see cref="TypedBertServerServiceCollectionExtensions.AddTypedBertServer"/>.</summary>
public static class TypedBertEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /predict</c>, <c>GET /model</c>, <c>GET /openapi/v1.json</c> (these three behind the API key when one is set)
    /// and <c>GET /health</c>, <c>/health/live</c> and <c>/health/ready</c> (open, for load balancers and probes), under <paramref name="prefix"/>; unless switched off in the options,
    /// also the playground page at <c>/</c> and the OpenAPI reference at <c>/scalar/</c>. Both pages are static and open (a
    /// browser cannot send a header when it follows a link), and what they show comes from the endpoints behind the key.
    /// </summary>
    public static RouteGroupBuilder MapTypedBert(this IEndpointRouteBuilder endpoints, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = endpoints.ServiceProvider.GetService<TypedBertServerOptions>()
            ?? throw new InvalidOperationException("MapTypedBert needs services.AddTypedBertServer(options) first");
        var group = endpoints.MapGroup(prefix);

        group.MapGet("/health", (IServiceProvider services) =>
            {
                var statistics = services.GetService<PredictionBatcher>()?.Statistics ?? default;
                return TypedResults.Ok(new HealthResponse("ok", statistics.Requests, statistics.Batches, statistics.LargestBatch));
            })
            .WithName("Health").WithSummary("The server is up and its model is loaded.");
        HealthEndpoints.Map(group);

        var secured = group.MapGroup("");
        if (options.ApiKey is not null) secured.AddEndpointFilter<RouteGroupBuilder, ApiKeyFilter>();

        if (options.RepositoryPath is not null) RepositoryEndpoints.Map(secured);
        if (!options.HasSingleModel)
        {
            secured.MapOpenApi();
            if (options.Metrics) MetricsEndpoint.Map(group);
            if (options.Playground) RepositoryPlayground.Map(group, secured);
            return group;
        }

        secured.MapPost("/predict", async (HttpContext context, PredictEndpoint endpoint, ServedModel model, PredictionBatcher batcher, IServiceProvider services) =>
            {
                // With the labelling page on, a retrain may have put another model in service: the request leases the one it starts with.
                using var lease = services.GetService<Labelling.LiveModel>()?.Acquire();
                return await endpoint.HandleAsync(context, lease?.Model ?? model, lease?.Batcher ?? batcher, "/predict");
            })
            .WithName("Predict")
            .WithSummary("Labels with probabilities for one text (\"text\") or several (\"texts\"), in input order.")
            // Described for OpenAPI only: Accepts<T>() would also make routing refuse bodies not labelled application/json (415, no JSON error).
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(PredictRequest), null, cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
                PredictEndpoint.Describe(operation);
            })
            .Produces<PredictResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorResponse>(StatusCodes.Status415UnsupportedMediaType);

        secured.MapGet("/model", (ServedModel model, IServiceProvider services) =>
            {
                using var lease = services.GetService<Labelling.LiveModel>()?.Acquire();
                return TypedResults.Ok((lease?.Model ?? model).Info);
            })
            .WithName("Model").WithSummary("Labels, problem type, base model and maximum length of the served model.")
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized);

        Explain.ExplainEndpoint.Map(secured);
        secured.MapOpenApi();
        if (options.Metrics) MetricsEndpoint.Map(group);

        if (options.Playground) PlaygroundEndpoints.Map(group, prefix, options.OpenApiUi);
        if (options.LabelDataPath is not null) Labelling.LabellingEndpoints.Map(group, secured, prefix);
        if (options.OpenApiUi)
        {
            string documents = prefix.TrimEnd('/') + "/openapi/{documentName}.json";
            group.MapScalarApiReference("/scalar", scalar =>
            {
                scalar.Title = "TypedBert prediction server";
                scalar.OpenApiRoutePattern = documents;
                // Everything from this server: Scalar's script is embedded in its package; its default fonts would come
                // from a CDN, and telemetry would call Scalar's servers.
                scalar.DefaultFonts = false;
                scalar.Telemetry = false;
            });
        }
        return group;
    }
}
