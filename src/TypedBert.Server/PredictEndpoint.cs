using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Server.Batching;
using TypedBert.Server.Protocol;

namespace TypedBert.Server;

/// <summary><c>POST /predict</c>: checks the body, queues its texts for the batcher and answers their predictions in input order.</summary>
internal sealed partial class PredictEndpoint(PredictionBatcher batcher, ServedModel model, TypedBertServerOptions options, ILogger<PredictEndpoint> logger)
{
    public async Task<IResult> HandleAsync(HttpContext context)
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
