using System.Net;
using System.Text.Json;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary><c>/health/live</c> and <c>/health/ready</c> on the real server: open (no key), ready once warmed up, not ready while stopping.</summary>
public class HealthProbeTests
{
    [Fact]
    public async Task Ready_once_warmed_up_and_503_once_stopping_starts_while_live_stays_200()
    {
        using var model = new SavedModel();
        await using var server = await RunningServer.StartAsync(new TypedBertServerOptions
        {
            ModelPath = model.Path, Urls = "http://127.0.0.1:0", ApiKey = "a-key-the-probes-do-not-need",
        });
        Assert.Equal((HttpStatusCode.OK, "ready"), await Probe(server, "/health/ready"));
        Assert.Equal((HttpStatusCode.OK, "live"), await Probe(server, "/health/live"));

        // ApplicationStopping fires before Kestrel stops listening: a probe in between sees the drain.
        var readiness = (Health.ServerReadiness)server.App.Services.GetService(typeof(Health.ServerReadiness))!;
        readiness.MarkStopping();
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "stopping"), await Probe(server, "/health/ready"));
        Assert.Equal((HttpStatusCode.OK, "live"), await Probe(server, "/health/live"));
    }

    static async Task<(HttpStatusCode, string)> Probe(RunningServer server, string path)
    {
        using var response = await server.Client.GetAsync(path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("status").GetString()!);
    }
}
