using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TypedBert.Server.Security;
using Microsoft.Extensions.DependencyInjection;
using TypedBert.Server.Playground;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Repository;

/// <summary>
/// The playground in repository mode: <c>GET /</c> lists the models, each linking to its own page at <c>/models/{name}/playground/</c>,
/// which is the single-model playground with its requests going to that model: <c>/models/{name}/playground/model</c> and
/// <c>/models/{name}/playground/predict</c> (behind the API key, like <c>/models/{name}/predict</c>). The page's files and requests are
/// relative to its base, so the single-model page is reused as it is; only <c>/explain</c> is not served for repository models (501).
/// </summary>
internal static class RepositoryPlayground
{
    const string PagePath = "/models/{name}/playground";

    // The model list links only to this server's pages and runs no script.
    const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(RouteGroupBuilder group, RouteGroupBuilder secured)
    {
        group.MapGet("/", (HttpContext context, ModelRepository repository) => ModelList(context, repository)).WithName("RepositoryPlaygroundList").ExcludeFromDescription();

        var page = group.MapGroup(PagePath);
        page.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            string name = http.Request.RouteValues["name"] as string ?? "";
            if (http.RequestServices.GetRequiredService<ModelRepository>().Find(name) is not { } slot) return RepositoryEndpoints.NotFound(name);
            // The page builds its links from the path base: this model's page folder, as the request reached it (the group's prefix included).
            string path = http.Request.Path.Value ?? "";
            string folder = "/models/" + slot.Name + "/playground";
            int at = path.IndexOf(folder, StringComparison.OrdinalIgnoreCase);
            http.Request.PathBase = http.Request.PathBase.Add(new PathString(at < 0 ? folder : path[..at] + folder));
            return await next(invocation);
        });
        PlaygroundEndpoints.Map(page, "", openApiUi: false);

        var calls = secured.MapGroup(PagePath);
        calls.MapGet("/model", (string name, ModelRepository repository) => repository.Find(name) is { } slot
            ? Results.Json(slot.Current.Model.Info)
            : RepositoryEndpoints.NotFound(name)).ExcludeFromDescription();
        calls.MapPost("/predict", (string name, HttpContext context, ModelRepository repository, PredictEndpoint endpoint) =>
            RepositoryEndpoints.PredictAsync(name, context, repository, endpoint)).ExcludeFromDescription();
        calls.MapPost("/explain", () => Results.Json(
            new ErrorResponse("explanations are served for a single model (typedbert serve --model DIR), not yet for repository models; use typedbert explain --model DIR/NAME/VERSION"),
            statusCode: StatusCodes.Status501NotImplemented)).ExcludeFromDescription();
    }

    static IResult ModelList(HttpContext context, ModelRepository repository)
    {
        string basePath = (context.Request.PathBase.Value ?? "") + (context.Request.Path.Value ?? "/").TrimEnd('/') + "/";
        var html = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>TypedBert models</title></head>\n"
            + "<body style=\"font-family: system-ui, sans-serif; margin: 2rem\"><h1>TypedBert models</h1>\n<ul>\n");
        foreach (var slot in repository.Models)
        {
            var current = slot.Current;
            html.Append("<li><a href=\"").Append(WebUtility.HtmlEncode(basePath + "models/" + Uri.EscapeDataString(slot.Name) + "/playground/")).Append("\">")
                .Append(WebUtility.HtmlEncode(slot.Name)).Append("</a> version ").Append(WebUtility.HtmlEncode(current.Model.Version))
                .Append(" (").Append(WebUtility.HtmlEncode(string.Join(", ", current.Model.Info.Labels))).Append(")</li>\n");
        }
        html.Append("</ul>\n</body></html>\n");
        return PageResponse.Send(context, Encoding.UTF8.GetBytes(html.ToString()), "text/html; charset=utf-8", ContentSecurityPolicy);
    }
}
