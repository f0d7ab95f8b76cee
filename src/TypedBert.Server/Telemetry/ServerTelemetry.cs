namespace TypedBert.Server.Telemetry;

/// <summary>
/// The names under which the server publishes OpenTelemetry data, for an application that sets up its own providers:
/// <c>.WithMetrics(m =&gt; m.AddMeter(ServerTelemetry.MeterName))</c> and <c>.WithTracing(t =&gt; t.AddSource(ServerTelemetry.ActivitySourceName))</c>.
/// </summary>
public static class ServerTelemetry
{
    /// <summary>The meter of request counts and latencies, batch sizes, queue waits, texts, predicted labels, model loads and swaps.</summary>
    public const string MeterName = "TypedBert.Server";

    /// <summary>The activity source of the spans <c>typedbert.predict</c>, <c>typedbert.queue_wait</c> and <c>typedbert.model</c>.</summary>
    public const string ActivitySourceName = "TypedBert.Server";
}
