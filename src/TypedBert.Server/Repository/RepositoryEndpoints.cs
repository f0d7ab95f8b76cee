using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Repository;

/// <summary><c>GET /models</c>, <c>GET /models/{name}</c> and <c>POST /models/{name}/predict</c> (behind the API key when one is set).</summary>
internal static class RepositoryEndpoints
{
    public static void Map(RouteGroupBuilder secured)
    {
        secured.MapGet("/models", (ModelRepository repository) => TypedResults.Ok(new ModelsResponse(
                [.. repository.Models.Select(Describe)], repository.Problems)))
            .WithName("Models").WithSummary("The repository's models: version in service, labels, and the last version refused, if any.");

        secured.MapGet("/models/{name}", (string name, ModelRepository repository) => repository.Find(name) is { } slot
                ? Results.Json(slot.Current.Model.Info)
                : NotFound(name))
            .WithName("RepositoryModel").WithSummary("Labels, problem type and maximum length of the version in service of one repository model.");

        secured.MapPost("/models/{name}/predict", (string name, HttpContext context, ModelRepository repository, PredictEndpoint endpoint) =>
                PredictAsync(name, context, repository, endpoint))
            .WithName("RepositoryPredict").WithSummary("As POST /predict, with the version in service of the named repository model.")
            .Produces<PredictResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status404NotFound);
    }

    /// <summary>Answers a prediction request with the version in service of model <paramref name="name"/>.</summary>
    internal static async Task<IResult> PredictAsync(string name, HttpContext context, ModelRepository repository, PredictEndpoint endpoint)
    {
        if (repository.Find(name) is not { } slot) return NotFound(name);
        // The lease keeps this version (and its native memory) alive until the answer is made, even if a newer one is swapped in meanwhile.
        var version = slot.Acquire();
        try
        {
            return await endpoint.HandleAsync(context, version.Model, version.Batcher, "/models/{name}/predict");
        }
        finally
        {
            version.Release();
        }
    }

    static RepositoryModelInfo Describe(ModelSlot slot)
    {
        var current = slot.Current;
        return new RepositoryModelInfo(slot.Name, current.Model.Version!, current.Model.Info.Labels, current.LoadedAt,
            slot.LastFailure is { } refused ? new RefusedVersionInfo(refused.Version, refused.Error) : null);
    }

    internal static IResult NotFound(string name) =>
        Results.Json(new ErrorResponse($"no model named {name} in the repository; GET /models lists them", "name"), statusCode: StatusCodes.Status404NotFound);
}
