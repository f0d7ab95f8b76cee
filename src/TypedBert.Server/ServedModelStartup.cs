using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedBert.Server.Batching;

namespace TypedBert.Server;

/// <summary>Loads the model when the host starts, so that a bad model folder stops the server instead of failing its first request.</summary>
internal sealed class ServedModelStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<PredictionBatcher>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
