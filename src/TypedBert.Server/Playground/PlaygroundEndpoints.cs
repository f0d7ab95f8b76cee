using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TypedBert.Server.Security;

namespace TypedBert.Server.Playground;

/// <summary>
/// The playground page at <c>/</c> and its script and style sheet, read from this assembly's resources: the page loads
/// nothing from another host, and its requests go to the server's own <c>/model</c>, <c>/predict</c> and <c>/explain</c>.
/// </summary>
internal static class PlaygroundEndpoints
{
    /// <summary>Route of the page's files, under the group's prefix.</summary>
    public const string AssetsPath = "/playground";

    // Only this server's own files and endpoints: no inline script (so injected markup cannot run), no other host, no frames.
    const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    static readonly string Page = Resource("index.html");
    static readonly byte[] Script = Encoding.UTF8.GetBytes(Resource("playground.js"));
    static readonly byte[] Style = Encoding.UTF8.GetBytes(Resource("playground.css"));

    public static void Map(RouteGroupBuilder group, string prefix, bool openApiUi)
    {
        string normalized = prefix.Trim('/');
        group.MapGet("/", (HttpContext context) =>
            {
                // The page's links are absolute, from the application's path base and the group's prefix, so that
                // "/api" and "/api/" both work (a relative "predict" would resolve differently on the two).
                string basePath = (context.Request.PathBase.Value ?? "").TrimEnd('/') + (normalized.Length == 0 ? "/" : $"/{normalized}/");
                string html = Page.Replace("{{base}}", HtmlEncoder.Default.Encode(basePath), StringComparison.Ordinal)
                    .Replace("{{docs-hidden}}", openApiUi ? "" : " hidden", StringComparison.Ordinal);
                return Send(context, Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
            })
            .WithName("Playground").ExcludeFromDescription();
        group.MapGet(AssetsPath + "/playground.js", (HttpContext context) => Send(context, Script, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        group.MapGet(AssetsPath + "/playground.css", (HttpContext context) => Send(context, Style, "text/css; charset=utf-8")).ExcludeFromDescription();
    }

    static IResult Send(HttpContext context, byte[] body, string contentType) => PageResponse.Send(context, body, contentType, ContentSecurityPolicy);

    static string Resource(string name) => PageResponse.Resource("Playground", name, "the playground");
}
