using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using TypedBert.Classification;
using TypedBert.Server.Batching;
using TypedBert.Server.Health;
using TypedBert.Server.Protocol;
using TypedBert.Server.Telemetry;

namespace TypedBert.Server;

/// <summary>
/// <c>POST /predict</c> (and <c>/models/{name}/predict</c>): checks the body, queues its texts for the model's batcher and answers their
/// predictions in input order. Each request is counted and timed (<see cref="ServerMetrics"/>), traced as <c>typedbert.predict</c>, and
/// logged in a scope that names the model and its version.
/// </summary>
internal sealed partial class PredictEndpoint(TypedBertServerOptions options, ServerReadiness readiness, ServerMetrics metrics, ILogger<PredictEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context, ServedModel model, PredictionBatcher batcher, string endpoint)
    {
        using var inFlight = readiness.Enter();
        using var scope = logger.BeginScope(model.LogScope);
        using var activity = ServerMetrics.Source.StartActivity("typedbert.predict");
        activity?.SetTag("typedbert.model", model.Info.Model);
        if (model.Version is not null) activity?.SetTag("typedbert.model.version", model.Version);
        long started = Stopwatch.GetTimestamp();
        var result = await AnswerAsync(context, model, batcher);
        int status = context.RequestAborted.IsCancellationRequested ? 499 : result is IStatusCodeHttpResult { StatusCode: int code } ? code : StatusCodes.Status200OK;
        metrics.RequestAnswered(endpoint, model.Info.Model, status, Stopwatch.GetElapsedTime(started).TotalSeconds);
        activity?.SetTag("http.response.status_code", status);
        return result;
    }

    async Task<IResult> AnswerAsync(HttpContext context, ServedModel model, PredictionBatcher batcher)
    {
        long started = Stopwatch.GetTimestamp();
        ValidatedPredictRequest request;
        try
        {
            request = await PredictRequestReader.ReadAsync(context, options);
        }
        catch (RequestRejectedException e)
        {
            LogRejected(e.StatusCode, e.Field ?? "body");
            return Results.Json(e.ToResponse(), statusCode: e.StatusCode);
        }

        // Windows are counted (tokenizing only) before any is computed: a few long texts can cost as much as thousands of short ones.
        if (model.LongText.Settings.Strategy == LongTextStrategy.SlidingWindow)
        {
            long windows = request.Texts.Sum(t => (long)model.LongText.CountInputs(t));
            if (windows > options.MaxWindowsPerRequest)
            {
                LogRejected(StatusCodes.Status413PayloadTooLarge, "texts");
                return Results.Json(new ErrorResponse(
                    $"{windows} windows of {model.LongText.Settings.Window} tokens; at most {options.MaxWindowsPerRequest} per request", "texts"),
                    statusCode: StatusCodes.Status413PayloadTooLarge);
            }
        }

        IReadOnlyList<Prediction> predictions;
        try
        {
            predictions = await batcher.PredictAsync(request.Texts, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (ObjectDisposedException)
        {
            return Results.Json(new ErrorResponse("the server is shutting down"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception)
        {
            // The batcher has logged the cause; the caller learns nothing about the server's insides.
            return Results.Json(new ErrorResponse("prediction failed"), statusCode: StatusCodes.Status500InternalServerError);
        }

        var body = new PredictResponse([.. predictions.Select(p => ToBody(p, request.TopK))]);
        LogPredicted(request.Texts.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return Results.Json(body);
    }

    /// <summary>What the OpenAPI document says about the body and the refusals, beyond their shapes.</summary>
    public static void Describe(OpenApiOperation operation)
    {
        if (operation.RequestBody is OpenApiRequestBody body)
            body.Description = "JSON in UTF-8 (application/json or application/*+json, no charset or charset=utf-8): {\"text\": \"...\"} or "
                + "{\"texts\": [\"...\"]}, and optionally \"top_k\". Each text must be well-formed (no lone UTF-16 surrogate, valid UTF-8) "
                + "and not empty or whitespace-only.";
        if (operation.Responses is not { } responses) return;
        SetDescription(responses, StatusCodes.Status400BadRequest,
            "The body is not valid JSON, has an unknown or missing field, or a text is too long, empty or whitespace-only, has a lone "
            + "UTF-16 surrogate or is not valid UTF-8; \"field\" names it (for example text or texts[3]).");
        SetDescription(responses, StatusCodes.Status401Unauthorized, "The server has an API key and the request lacks it (X-API-Key or Authorization: Bearer).");
        SetDescription(responses, StatusCodes.Status413PayloadTooLarge, "The body, the number of texts or the number of sliding windows is over the server's limit.");
        SetDescription(responses, StatusCodes.Status415UnsupportedMediaType,
            "The Content-Type is missing, not JSON, or names a charset other than UTF-8; \"field\" is Content-Type.");
    }

    static void SetDescription(OpenApiResponses responses, int status, string description)
    {
        if (responses.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) && response is OpenApiResponse concrete)
            concrete.Description = description;
    }

    static TextPrediction ToBody(Prediction prediction, int? topK)
    {
        var ranked = topK is int k ? prediction.Top(k) : prediction.Ranked;
        return new TextPrediction(prediction.Label,
            prediction.ProblemType == ProblemType.MultiLabel ? prediction.Labels() : null,
            [.. ranked.Select(s => new LabelProbability(s.Label, s.Score))]);
    }

    // Texts are never logged: they may be private, and logs travel further than answers.
    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "POST /predict: {Texts} texts answered in {Milliseconds:0.0} ms")]
    partial void LogPredicted(int texts, double milliseconds);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "POST /predict refused with {Status}: {Field}")]
    partial void LogRejected(int status, string field);
}
