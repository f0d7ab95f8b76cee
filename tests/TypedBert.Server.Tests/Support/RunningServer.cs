using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Batching;

namespace TypedBert.Server.Tests.Support;

/// <summary>The real server, on 127.0.0.1 with a free port, with an HttpClient pointed at it and every log entry captured.</summary>
internal sealed class RunningServer : IAsyncDisposable
{
    RunningServer(WebApplication app, CapturingLoggerProvider logs)
    {
        App = app;
        Logs = logs;
        Address = new Uri(TypedBertServer.Addresses(app).Single());
        Client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public WebApplication App { get; }

    public CapturingLoggerProvider Logs { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public PredictionBatcher Batcher => App.Services.GetRequiredService<PredictionBatcher>();

    /// <param name="options">The server's options.</param>
    /// <param name="captureLogs">
    /// Keep every log entry, at every level, in <see cref="Logs"/> (the default). Off for runs of minutes (the soak): the kept entries
    /// grow with each request (measured: ~10 KiB a request, 150 MiB of .NET heap in a 3-minute soak) and would pass for the server's memory.
    /// </param>
    public static async Task<RunningServer> StartAsync(TypedBertServerOptions options, bool captureLogs = true)
    {
        var logs = new CapturingLoggerProvider();
        var app = TypedBertServer.Create(options, logging =>
        {
            if (captureLogs) logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
            else logging.SetMinimumLevel(LogLevel.Information);
        });
        await app.StartAsync();
        return new RunningServer(app, logs);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string json, string path = "/predict") =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostAsync<T>(T body) => Client.PostAsJsonAsync("/predict", body);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
