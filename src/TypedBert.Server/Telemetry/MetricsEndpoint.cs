using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TypedBert.Server.Protocol;
using TypedBert.Server.Security;

namespace TypedBert.Server.Telemetry;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's Prometheus exporter. It is a middleware branch, not a route handler, so the API key is checked
/// by a middleware in front of it (the endpoint filter of the other routes does not apply): a key set for the server also guards the
/// metrics, whose label counts and model names say something about the traffic.
/// </summary>
internal static class MetricsEndpoint
{
    public static void Map(IEndpointRouteBuilder group)
    {
        var key = group.ServiceProvider.GetService<ApiKey>();
        group.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: branch =>
        {
            if (key is null) return;
            branch.Use(async (context, next) =>
            {
                if (key.Accepts(context.Request))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await context.Response.WriteAsJsonAsync(new ErrorResponse($"missing or wrong API key: send it in {ApiKey.HeaderName} or Authorization: Bearer", ApiKey.HeaderName));
            });
        }, optionsName: null);
    }
}
