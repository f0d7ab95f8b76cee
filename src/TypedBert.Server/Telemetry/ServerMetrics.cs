using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TypedBert.Server.Telemetry;

/// <summary>
/// The server's instruments (OpenTelemetry semantic style: dotted names, seconds for durations). Prometheus sees them as
/// <c>typedbert_requests_total</c>, <c>typedbert_request_duration_seconds</c>, <c>typedbert_batch_texts</c>, <c>typedbert_queue_wait_seconds</c>,
/// <c>typedbert_model_duration_seconds</c>, <c>typedbert_texts_total</c> (texts per second: its <c>rate()</c>), <c>typedbert_predictions_total</c>
/// (by label and model version: a drift signal), <c>typedbert_model_loads_total</c> and <c>typedbert_model_swaps_total</c>.
/// </summary>
internal sealed class ServerMetrics
{
    // Latencies from 1 ms to 10 s: a prediction is milliseconds to seconds, and a queue wait can be near zero.
    static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    static readonly int[] TextBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    public static readonly ActivitySource Source = new(ServerTelemetry.ActivitySourceName);

    readonly Counter<long> requests;
    readonly Histogram<double> requestDuration;
    readonly Histogram<int> batchTexts;
    readonly Histogram<double> queueWait;
    readonly Histogram<double> modelDuration;
    readonly Counter<long> texts;
    readonly Counter<long> predictions;
    readonly Counter<long> loads;
    readonly Counter<long> swaps;

    public ServerMetrics(IMeterFactory factory)
    {
        var meter = factory.Create(ServerTelemetry.MeterName);
        requests = meter.CreateCounter<long>("typedbert.requests", "{request}", "Prediction requests answered, by endpoint, model and HTTP status");
        requestDuration = meter.CreateHistogram("typedbert.request.duration", "s", "Time from reading a prediction request to its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        batchTexts = meter.CreateHistogram("typedbert.batch.texts", "{text}", "Texts per forward batch",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = TextBuckets });
        queueWait = meter.CreateHistogram("typedbert.queue.wait", "s", "Time a request waited in the batcher's queue before its batch ran",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        modelDuration = meter.CreateHistogram("typedbert.model.duration", "s", "Time of one forward batch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        texts = meter.CreateCounter<long>("typedbert.texts", "{text}", "Texts predicted");
        predictions = meter.CreateCounter<long>("typedbert.predictions", "{text}", "Predicted labels, by model and version");
        loads = meter.CreateCounter<long>("typedbert.model.loads", "{load}", "Model versions loaded (outcome=loaded) or refused (outcome=failed)");
        swaps = meter.CreateCounter<long>("typedbert.model.swaps", "{swap}", "New model versions put in service while serving");
    }

    public void RequestAnswered(string endpoint, string model, int status, double seconds)
    {
        var tags = new TagList { { "endpoint", endpoint }, { "model", model } };
        requestDuration.Record(seconds, tags);
        tags.Add("status", status);
        requests.Add(1, tags);
    }

    public void BatchPredicted(string model, string? version, int textCount, double modelSeconds)
    {
        var tags = Model(model, version);
        batchTexts.Record(textCount, tags);
        modelDuration.Record(modelSeconds, tags);
        texts.Add(textCount, tags);
    }

    public void Waited(string model, string? version, double seconds) => queueWait.Record(seconds, Model(model, version));

    public void Predicted(string model, string? version, string label)
    {
        var tags = Model(model, version);
        tags.Add("label", label);
        predictions.Add(1, tags);
    }

    public void Loaded(string model, string version, bool succeeded) =>
        loads.Add(1, new TagList { { "model", model }, { "version", version }, { "outcome", succeeded ? "loaded" : "failed" } });

    public void Swapped(string model, string version) => swaps.Add(1, new TagList { { "model", model }, { "version", version } });

    static TagList Model(string model, string? version) => version is null ? new TagList { { "model", model } } : new TagList { { "model", model }, { "version", version } };
}
