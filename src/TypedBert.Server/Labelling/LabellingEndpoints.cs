using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TypedBert.Server.Security;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Labelling;

/// <summary>
/// The labelling page at <c>/label</c> (static and open, like the playground: its files come from this assembly, under the same strict
/// content security policy) and the endpoints it calls, behind the API key: <c>GET /label/state</c>, <c>GET /label/next</c>,
/// <c>POST /label</c>, <c>POST /label/undo</c>, <c>POST /label/retrain</c> and <c>GET /label/retrain</c>.
/// </summary>
internal static partial class LabellingEndpoints
{
    // Only this server's own files and endpoints: no inline script, no other host, no frames (as the playground's).
    const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    const int MaxCount = 100;

    static readonly string Page = Resource("index.html");
    static readonly byte[] Script = Encoding.UTF8.GetBytes(Resource("labelling.js"));
    static readonly byte[] Style = Encoding.UTF8.GetBytes(Resource("labelling.css"));

    public static void Map(RouteGroupBuilder open, RouteGroupBuilder secured, string prefix)
    {
        string normalized = prefix.Trim('/');
        open.MapGet("/label", (HttpContext context) =>
            {
                string basePath = (context.Request.PathBase.Value ?? "").TrimEnd('/') + (normalized.Length == 0 ? "/" : $"/{normalized}/");
                string html = Page.Replace("{{base}}", HtmlEncoder.Default.Encode(basePath), StringComparison.Ordinal);
                return Send(context, Encoding.UTF8.GetBytes(html), "text/html; charset=utf-8");
            })
            .WithName("Labelling").ExcludeFromDescription();
        open.MapGet("/label/assets/labelling.js", (HttpContext context) => Send(context, Script, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        open.MapGet("/label/assets/labelling.css", (HttpContext context) => Send(context, Style, "text/css; charset=utf-8")).ExcludeFromDescription();

        secured.MapGet("/label/state", (LiveModel live, LabelDataFile data, LabelPool pool, RetrainJob retrain) =>
            {
                data.ReloadIfChangedQuietly();
                using var lease = live.Acquire();
                var classifier = lease.Model.Classifier;
                return Results.Json(new LabellingState(data.Name, data.Count, pool.Texts.Count, classifier.Labels, classifier.ProblemType.ToHuggingFace(), retrain.Status));
            })
            .WithName("LabellingState").WithSummary("The labelling page's data file (name and rows), the served model's labels and the retrain's state.");

        secured.MapGet("/label/next", async (HttpContext context, NextTextsQueue queue, int? count) =>
            {
                int wanted = count ?? 10;
                if (wanted is < 1 or > MaxCount)
                    return Results.Json(new ErrorResponse($"count {wanted} must be between 1 and {MaxCount}", "count"), statusCode: StatusCodes.Status400BadRequest);
                try
                {
                    return Results.Json(new NextTextsResponse(await queue.NextAsync(wanted, context.RequestAborted)));
                }
                catch (LabelDataConflictException e)
                {
                    return Results.Json(new ErrorResponse(e.Message), statusCode: StatusCodes.Status409Conflict);
                }
            })
            .WithName("LabellingNext").WithSummary("Texts of the pool to label next (count, 10 by default), most worth labelling first, none labelled already.");

        secured.MapPost("/label", (HttpContext context, TypedBertServerOptions options, LabelPool pool, LabelDataFile data, LiveModel live, ILoggerFactory loggers) =>
                HandleAsync(context, loggers, async () =>
                {
                    var (labels, multiLabel) = Labels(live);
                    var (text, cell) = await LabelRequestReader.ReadAsync(context, options, pool, labels, multiLabel, withLabels: true);
                    var write = data.Append(text.Text, cell!);
                    return new LabelResponse(write.Written, write.Reloaded, write.Rows, write.Label);
                }))
            .WithName("Label").WithSummary("Appends a pool text (\"id\") with its labels (\"labels\") to the data file, atomically; a text already labelled writes nothing.");

        secured.MapPost("/label/undo", (HttpContext context, TypedBertServerOptions options, LabelPool pool, LabelDataFile data, LiveModel live, ILoggerFactory loggers) =>
                HandleAsync(context, loggers, async () =>
                {
                    var (labels, multiLabel) = Labels(live);
                    var (text, _) = await LabelRequestReader.ReadAsync(context, options, pool, labels, multiLabel, withLabels: false);
                    var (removed, reloaded) = data.Remove(text.Text);
                    return new LabelResponse(removed, reloaded, data.Count, null);
                }))
            .WithName("LabelUndo").WithSummary("Removes the row this server wrote for a pool text (\"id\"), atomically.");

        secured.MapPost("/label/retrain", (RetrainJob retrain) =>
                retrain.TryStart() ? Results.Json(retrain.Status, statusCode: StatusCodes.Status202Accepted)
                    : Results.Json(new ErrorResponse("a retrain is already running; GET /label/retrain tells how far it is"), statusCode: StatusCodes.Status409Conflict))
            .WithName("Retrain").WithSummary("Trains on the labelled file in the background; the new model is served only when it beats the served one on a held-out slice.");

        secured.MapGet("/label/retrain", (RetrainJob retrain) => Results.Json(retrain.Status))
            .WithName("RetrainStatus").WithSummary("Where the retrain stands: state, step, and at the end the two models' held-out accuracy and which one is served.");
    }

    static (IReadOnlyList<string> Labels, bool MultiLabel) Labels(LiveModel live)
    {
        using var lease = live.Acquire();
        return (lease.Model.Classifier.Labels, lease.Model.Classifier.ProblemType == ProblemType.MultiLabel);
    }

    static async Task<IResult> HandleAsync(HttpContext context, ILoggerFactory loggers, Func<Task<LabelResponse>> handle)
    {
        var logger = loggers.CreateLogger("TypedBert.Server.Labelling");
        try
        {
            return Results.Json(await handle());
        }
        catch (RequestRejectedException e)
        {
            LogRefused(logger, context.Request.Path.Value ?? "", e.StatusCode, e.Field ?? "body");
            return Results.Json(e.ToResponse(), statusCode: e.StatusCode);
        }
        catch (LabelDataConflictException e)
        {
            LogRefused(logger, context.Request.Path.Value ?? "", StatusCodes.Status409Conflict, "data file");
            return Results.Json(new ErrorResponse(e.Message), statusCode: StatusCodes.Status409Conflict);
        }
    }

    static IResult Send(HttpContext context, byte[] body, string contentType) => PageResponse.Send(context, body, contentType, ContentSecurityPolicy);

    static string Resource(string name) => PageResponse.Resource("Labelling", name, "the labelling page");

    [LoggerMessage(EventId = 65, Level = LogLevel.Information, Message = "{Path} refused with {Status}: {Field}")]
    static partial void LogRefused(ILogger logger, string path, int status, string field);
}
