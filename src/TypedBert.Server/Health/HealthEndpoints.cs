using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TypedBert.Server.Health;

/// <summary>
/// Kubernetes-style probes, open like <c>/health</c>: <c>/health/live</c> answers 200 while the process can answer at all (a failed
/// liveness probe restarts the pod); <c>/health/ready</c> answers 200 only once the model is loaded and warmed up, and 503 again
/// from the moment the host starts stopping (a failed readiness probe only takes the pod out of the load balancer).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapGet("/health/live", (ServerReadiness readiness) => TypedResults.Ok(new ProbeResponse("live", readiness.InFlight)))
            .WithName("Live").WithSummary("The process is up (liveness probe).");
        group.MapGet("/health/ready", (ServerReadiness readiness) =>
                Results.Json(new ProbeResponse(readiness.Status, readiness.InFlight),
                    statusCode: readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable))
            .WithName("Ready").WithSummary("The model is loaded and warmed up and the server is not stopping (readiness probe); 503 otherwise.")
            .Produces<ProbeResponse>().Produces<ProbeResponse>(StatusCodes.Status503ServiceUnavailable);
    }
}
