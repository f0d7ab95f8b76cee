using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>
/// <see cref="TypedBertServerOptions.OtlpEndpoint"/>: off by default; a bad address or protocol is refused naming the option; when set, the
/// server pushes its own metrics and spans with OTLP. The oracle is a fake collector on 127.0.0.1 that records what is posted to it:
/// protobuf bodies at <c>/v1/metrics</c> and <c>/v1/traces</c> that carry the server's instrument and span names (protobuf writes strings as
/// their UTF-8 bytes). Nothing leaves the machine.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public void Otlp_is_off_by_default_and_a_bad_address_or_protocol_is_refused_naming_the_option()
    {
        using var model = new SavedModel();
        Assert.Null(new TypedBertServerOptions { ModelPath = model.Path }.OtlpEndpoint);
        var relative = Assert.Throws<ArgumentException>(() => new TypedBertServerOptions { ModelPath = model.Path, OtlpEndpoint = new Uri("collector/4317", UriKind.Relative) }.Validate());
        Assert.StartsWith("OtlpEndpoint: collector/4317 must be an absolute http:// or https:// address", relative.Message, StringComparison.Ordinal);
        var scheme = Assert.Throws<ArgumentException>(() => new TypedBertServerOptions { ModelPath = model.Path, OtlpEndpoint = new Uri("ftp://collector:4317") }.Validate());
        Assert.Equal("OtlpEndpoint", scheme.ParamName);
        var protocol = Assert.Throws<ArgumentException>(() => new TypedBertServerOptions { ModelPath = model.Path, OtlpEndpoint = new Uri("http://127.0.0.1:4318"), OtlpProtocol = "http" }.Validate());
        Assert.StartsWith("OtlpProtocol: \"http\" is not an OTLP protocol; use grpc or http/protobuf", protocol.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_endpoint_the_server_pushes_its_metrics_and_spans_to_the_collector()
    {
        var received = new List<(string Path, string? ContentType, byte[] Body)>();
        await using var collector = FakeCollector(received);
        await collector.StartAsync();
        var collectorAddress = new Uri(TypedBertServer.Addresses(collector).Single());

        using var model = new SavedModel();
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = model.Path, Urls = "http://127.0.0.1:0", Metrics = false, OtlpEndpoint = collectorAddress, OtlpProtocol = "http/protobuf",
        });
        // A client outside any trace, as a real one in another process: this process's HttpClient would otherwise send the traceparent of
        // its own unsampled activity, and the server rightly records no span under an unsampled parent.
        using (var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator() }) { BaseAddress = server.Address })
        using (var response = await client.PostAsync("/predict", new StringContent("{\"text\": \"a warm and funny film\"}", Encoding.UTF8, "application/json")))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/metrics")).StatusCode); // Prometheus off, OTLP on: independent

        // The batch's spans are made after its answers are sent: flush until they have been made and exported (seconds at most).
        List<(string Path, string? ContentType, byte[] Body)> posts;
        var patience = Stopwatch.StartNew();
        do
        {
            Assert.True(server.App.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
            Assert.True(server.App.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
            lock (received) posts = [.. received];
            if (posts.Any(p => p.Path == "/v1/traces" && Holds(p.Body, "typedbert.model")) && posts.Any(p => p.Path == "/v1/metrics")) break;
            await Task.Delay(100);
        }
        while (patience.Elapsed < TimeSpan.FromSeconds(20));
        Assert.All(posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        Assert.Contains(posts, p => p.Path == "/v1/metrics" && Holds(p.Body, "typedbert.requests") && Holds(p.Body, "typedbert.batch.texts"));
        Assert.Contains(posts, p => p.Path == "/v1/traces" && Holds(p.Body, "typedbert.model") && Holds(p.Body, "typedbert.queue_wait"));
    }

    static bool Holds(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    static WebApplication FakeCollector(List<(string Path, string? ContentType, byte[] Body)> received)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.UseRouting();
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            lock (received) received.Add((context.Request.Path.Value!, context.Request.ContentType, body.ToArray()));
            // An empty ExportServiceResponse: zero bytes of protobuf.
            return Results.Bytes([], "application/x-protobuf");
        });
        return app;
    }
}
