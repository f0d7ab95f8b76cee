using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TypedBert.Server.Telemetry;

/// <summary>
/// The OTLP exporters of <see cref="TypedBertServerOptions.OtlpEndpoint"/>: metrics and traces pushed to a collector. Each signal has its own
/// named exporter options, because with <c>http/protobuf</c> each goes to its own path (<c>v1/metrics</c>, <c>v1/traces</c>): the exporter adds
/// that path only to an address taken from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, not to one set in code.
/// </summary>
internal static class OtlpExport
{
    public const string MetricsName = "typedbert-metrics";
    public const string TracesName = "typedbert-traces";

    public static MeterProviderBuilder AddTo(MeterProviderBuilder metrics, TypedBertServerOptions options) =>
        options.OtlpEndpoint is null ? metrics : metrics.AddOtlpExporter(MetricsName, exporter => Configure(exporter, options, "v1/metrics"));

    public static TracerProviderBuilder AddTo(TracerProviderBuilder tracing, TypedBertServerOptions options) =>
        options.OtlpEndpoint is null ? tracing : tracing.AddOtlpExporter(TracesName, exporter => Configure(exporter, options, "v1/traces"));

    static void Configure(OtlpExporterOptions exporter, TypedBertServerOptions options, string signalPath)
    {
        if (options.OtlpProtocol == "http/protobuf")
        {
            exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            string root = options.OtlpEndpoint!.AbsoluteUri;
            exporter.Endpoint = new Uri(root.EndsWith('/') ? root + signalPath : root + "/" + signalPath);
        }
        else
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = options.OtlpEndpoint!;
        }
    }
}
