using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using TypedBert.Explanations;
using TypedBert.Server.Protocol;

namespace TypedBert.Server.Explain;

/// <summary>
/// <c>POST /explain</c>: which words made the served model give a label its score (integrated gradients,
/// <see cref="TextClassifierExplanations"/>), behind the same API key and limits as <c>/predict</c>.
/// </summary>
internal static partial class ExplainEndpoint
{
    /// <summary>Maps the endpoint into the group that holds <c>/predict</c> (so the API key filter covers it).</summary>
    public static void Map(RouteGroupBuilder secured) =>
        secured.MapPost("/explain", (HttpContext context, ServedModel model, TypedBertServerOptions options, ILoggerFactory loggers) => HandleAsync(context, model, options, loggers.CreateLogger("TypedBert.Server.Explain")))
            .WithName("Explain")
            .WithSummary("Why the model gives a label its score: each word's integrated-gradients attribution, with its character offsets.")
            .AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var schema = await context.GetOrCreateSchemaAsync(typeof(ExplainRequest), null, cancellationToken);
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Description = "JSON in UTF-8: {\"text\": \"...\"}, optionally \"label\" (default: the predicted label) and \"steps\" (1 to 1000, default 32).",
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
                };
            })
            .Produces<ExplainResponse>()
            .Produces<ErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<ErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorResponse>(StatusCodes.Status415UnsupportedMediaType);

    static async Task<IResult> HandleAsync(HttpContext context, ServedModel model, TypedBertServerOptions options, ILogger logger)
    {
        var classifier = model.Classifier;
        ExplainRequest request;
        try
        {
            request = await ExplainRequestReader.ReadAsync(context, options, classifier.Labels);
        }
        catch (RequestRejectedException e)
        {
            LogRejected(logger, e.StatusCode, e.Field ?? "body");
            return Results.Json(e.ToResponse(), statusCode: e.StatusCode);
        }
        if (classifier.IsExported)
            return Results.Json(new ErrorResponse("the served model is an exported ONNX folder, which has no gradients; serve the folder with model.safetensors"),
                statusCode: StatusCodes.Status501NotImplemented);
        long windows = model.LongText.CountInputs(request.Text);
        if (windows > options.MaxWindowsPerRequest)
            return Results.Json(new ErrorResponse($"{windows} windows of {model.LongText.Settings.Window} tokens; at most {options.MaxWindowsPerRequest} per request", "text"),
                statusCode: StatusCodes.Status413PayloadTooLarge);

        var explanationOptions = new ExplanationOptions { Steps = request.Steps ?? ExplanationOptions.DefaultSteps };
        // Gradients are heavy CPU work: off the request thread, and abandoned (not interrupted) when the caller goes away.
        var (prediction, explanation) = await Task.Run(() =>
        {
            var p = classifier.Predict(request.Text);
            return (p, classifier.Explain(request.Text, request.Label ?? p.Label, explanationOptions));
        }, context.RequestAborted);
        return Results.Json(new ExplainResponse(explanation.Label, prediction.Label,
            [.. prediction.Scores.Select((s, i) => new LabelProbability(classifier.Labels[i], s))],
            explanation.Logit, explanation.BaselineLogit, explanation.CompletenessError,
            [.. explanation.Words.Select(w => new ExplainedWord(w.Word, w.Start, w.Length, w.Score))]));
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "POST /explain refused with {Status}: {Field}")]
    static partial void LogRejected(ILogger logger, int status, string field);
}
