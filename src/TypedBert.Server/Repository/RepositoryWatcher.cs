using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Health;

namespace TypedBert.Server.Repository;

/// <summary>
/// Loads the repository when the host starts (a broken layout or a model that cannot load stops the server, naming the folder), then
/// watches it: a file-system notification, or the poll every <see cref="TypedBertServerOptions.RepositoryPollInterval"/> (notifications
/// can be lost), starts a scan shortly after, when a rename has settled.
/// </summary>
internal sealed partial class RepositoryWatcher(ModelRepository repository, TypedBertServerOptions options, ServerReadiness readiness,
    IHostApplicationLifetime lifetime, ILogger<RepositoryWatcher> logger) : IHostedService, IDisposable
{
    static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    readonly CancellationTokenSource stopping = new();
    readonly SemaphoreSlim changed = new(0);
    FileSystemWatcher? watcher;
    Task loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        repository.LoadAll();
        lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkStopping();
            repository.StopDelaying();
        });
        try
        {
            watcher = new FileSystemWatcher(options.RepositoryPath!)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.DirectoryName | NotifyFilters.FileName | NotifyFilters.LastWrite,
            };
            watcher.Created += (_, _) => Signal();
            watcher.Renamed += (_, _) => Signal();
            watcher.Deleted += (_, _) => Signal();
            watcher.Error += (_, _) => Signal();
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            LogNoWatcher(e.Message, options.RepositoryPollInterval.TotalSeconds); // the poll still finds new versions
        }
        readiness.MarkWarmedUp();
        loop = Task.Run(WatchAsync);
        return Task.CompletedTask;
    }

    void Signal()
    {
        if (changed.CurrentCount == 0) changed.Release();
    }

    async Task WatchAsync()
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (await changed.WaitAsync(options.RepositoryPollInterval, token)) await Task.Delay(Settle, token);
                await repository.RefreshAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogScanFailed(e.Message); // the repository folder itself is unreadable for now; the models in service go on
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (watcher is not null) watcher.EnableRaisingEvents = false;
        await loop.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        watcher?.Dispose();
        stopping.Dispose();
        changed.Dispose();
    }

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "model repository: no file-system notifications ({Reason}); new versions are found by the scan every {Seconds:0.#} s")]
    partial void LogNoWatcher(string reason, double seconds);

    [LoggerMessage(EventId = 46, Level = LogLevel.Warning, Message = "model repository: scan failed, the models in service go on: {Reason}")]
    partial void LogScanFailed(string reason);
}
