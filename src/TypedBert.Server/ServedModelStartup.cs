using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedBert.Server.Batching;
using TypedBert.Server.Health;

namespace TypedBert.Server;

/// <summary>
/// Loads the model when the host starts (unless resolved earlier), so that a bad model folder stops the server instead of failing
/// its first request; <see cref="ServedModel"/> warms it up with one prediction before <c>/health/ready</c> says ready.
/// When the host starts stopping, readiness turns off and the batcher stops waiting for requests to join a batch, so that the
/// requests in flight are answered within the drain time (<see cref="TypedBertServerOptions.DrainTimeout"/>).
/// </summary>
internal sealed class ServedModelStartup(IServiceProvider services, ServerReadiness readiness, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var batcher = services.GetRequiredService<PredictionBatcher>();
        services.GetRequiredService<ServedModel>(); // loads and warms up (the first forward pass pays for allocations and the engine)
        lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkStopping();
            batcher.StopDelaying();
        });
        readiness.MarkWarmedUp();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
