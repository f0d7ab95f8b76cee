using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TypedBert.Server.Batching;
using TypedBert.Server.Telemetry;

namespace TypedBert.Server.Repository;

/// <summary>
/// The models of <see cref="TypedBertServerOptions.RepositoryPath"/>: each one's highest version loaded at start, and new versions put
/// in service by <see cref="RefreshAsync"/> only once they have loaded and passed the checks (same labels unless
/// <see cref="TypedBertServerOptions.AllowLabelChange"/>, a smoke prediction). A version that fails is logged, counted
/// (<c>typedbert_model_loads_total{outcome="failed"}</c>) and shown at <c>/models</c>, and the version in service goes on.
/// </summary>
internal sealed partial class ModelRepository(TypedBertServerOptions options, IServiceProvider services, ServerMetrics metrics, ILogger<ModelRepository> logger)
    : IAsyncDisposable
{
    readonly Dictionary<string, ModelSlot> slots = new(StringComparer.OrdinalIgnoreCase);
    readonly Lock slotsLock = new();
    readonly SemaphoreSlim refreshing = new(1, 1);
    IReadOnlyList<string> problems = [];

    string Root => options.RepositoryPath!;

    /// <summary>The models in service, by name.</summary>
    public IReadOnlyList<ModelSlot> Models
    {
        get { lock (slotsLock) return [.. slots.Values.OrderBy(s => s.Name, StringComparer.Ordinal)]; }
    }

    /// <summary>Folders that break the layout, as of the last scan.</summary>
    public IReadOnlyList<string> Problems => Volatile.Read(ref problems);

    public ModelSlot? Find(string name)
    {
        lock (slotsLock) return slots.GetValueOrDefault(name);
    }

    /// <summary>Loads every model's highest version; throws, naming the folder, when the layout is broken or a model cannot be served.</summary>
    public void LoadAll()
    {
        var (models, found) = RepositoryLayout.Scan(Root);
        if (found.Count > 0) throw new InvalidOperationException($"model repository {Root}: {string.Join("; ", found)}");
        if (models.Count == 0) throw new InvalidOperationException($"model repository {Root}: no model (expected {Root}/<name>/<version>/ folders)");
        foreach (var (name, versions) in models)
        {
            var newest = versions[^1];
            ServedVersion loaded;
            try
            {
                loaded = Load(newest, previous: null);
            }
            catch (InvalidOperationException e)
            {
                throw new InvalidOperationException($"model repository {Root}: {e.Message}", e);
            }
            lock (slotsLock) slots.Add(name, new ModelSlot(name, loaded));
        }
    }

    /// <summary>Scans the repository and puts in service each new version that passes the checks, one at a time.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken);
        try
        {
            var (models, found) = RepositoryLayout.Scan(Root);
            foreach (string problem in found.Except(Problems)) LogLayoutProblem(problem);
            Volatile.Write(ref problems, found);
            foreach (var (name, versions) in models)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var newest = versions[^1];
                var slot = Find(name);
                if (slot is not null && (long.Parse(slot.Current.Model.Version!, System.Globalization.CultureInfo.InvariantCulture) >= newest.Number
                    || slot.LastFailure?.Version == newest.Version)) continue;
                // Loading takes seconds: off the request threads, and the version in service answers meanwhile.
                await Task.Run(() => Refresh(name, slot, newest), cancellationToken);
            }
        }
        finally
        {
            refreshing.Release();
        }
    }

    void Refresh(string name, ModelSlot? slot, ModelVersionFolder newest)
    {
        ServedVersion loaded;
        try
        {
            loaded = Load(newest, slot?.Current);
        }
        catch (Exception e) when (slot is not null)
        {
            // Shown at /models: folders relative to the repository, not the machine's paths.
            slot.LastFailure = new RefusedVersion(newest.Version, e.Message.Replace(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Root)) + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)
                .Replace(Root.TrimEnd('/') + "/", "", StringComparison.Ordinal));
            return;
        }
        catch (Exception)
        {
            return; // a new model that fails is logged and counted by Load; there is nothing to keep serving
        }
        if (slot is null)
        {
            lock (slotsLock) slots.Add(name, new ModelSlot(name, loaded));
            LogAdded(name, newest.Version);
            return;
        }
        string old = slot.Swap(loaded).Model.Version!;
        metrics.Swapped(name, newest.Version);
        LogSwapped(name, old, newest.Version);
    }

    /// <summary>Loads and checks one version; on failure logs it, counts it and throws with the reason.</summary>
    ServedVersion Load(ModelVersionFolder folder, ServedVersion? previous)
    {
        long started = Stopwatch.GetTimestamp();
        ServedModel? model = null;
        try
        {
            model = new ServedModel(folder.Path, folder.Name, folder.Version, options, logger);
            if (previous is not null && !options.AllowLabelChange && !previous.Model.Info.Labels.SequenceEqual(model.Info.Labels, StringComparer.Ordinal))
                throw new InvalidOperationException($"its labels [{string.Join(", ", model.Info.Labels)}] differ from those of version {previous.Model.Version} in service "
                    + $"[{string.Join(", ", previous.Model.Info.Labels)}]; to serve them anyway, allow label changes (--allow-label-change)");
            // The smoke prediction: a model that loads but cannot predict (or predicts NaN) is not put in service.
            var smoke = model.Classifier.PredictBatch(["smoke test"]);
            if (smoke.Count != 1 || smoke[0].Ranked.Any(s => !float.IsFinite(s.Score)))
                throw new InvalidOperationException("its smoke prediction gave no finite scores");
            var batcher = ServedBatcher.Create(model, options, services);
            metrics.Loaded(folder.Name, folder.Version, succeeded: true);
            LogLoaded(folder.Name, folder.Version, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new ServedVersion(model, batcher);
        }
        catch (Exception e)
        {
            model?.Dispose();
            metrics.Loaded(folder.Name, folder.Version, succeeded: false);
            LogRefused(e, folder.Name, folder.Version, folder.Path, e.Message);
            throw new InvalidOperationException($"{folder.Path}: {e.Message}", e);
        }
    }

    /// <summary>Makes every batcher stop waiting for more requests (the host is stopping).</summary>
    public void StopDelaying()
    {
        foreach (var slot in Models) slot.Current.Batcher.StopDelaying();
    }

    public async ValueTask DisposeAsync()
    {
        var versions = Models.Select(s => s.Current).ToList();
        foreach (var slot in Models) slot.Retire();
        // Kestrel has drained the requests by now; a lease still held (a request cut off at the drain limit) must not hold up the exit.
        await Task.WhenAll(versions.Select(v => v.Disposed)).WaitAsync(options.DrainTimeout + TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "model {Model} version {ModelVersion} loaded and checked in {Milliseconds:0} ms")]
    partial void LogLoaded(string model, string modelVersion, double milliseconds);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "model {Model}: version {ModelVersion} in service instead of {OldVersion}; the old one is disposed after its last request")]
    partial void LogSwapped(string model, string oldVersion, string modelVersion);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "model {Model} version {ModelVersion} refused, the version in service goes on: {Path}: {Reason}")]
    partial void LogRefused(Exception exception, string model, string modelVersion, string path, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "model repository: {Problem}")]
    partial void LogLayoutProblem(string problem);

    [LoggerMessage(EventId = 44, Level = LogLevel.Information, Message = "model {Model} version {ModelVersion} added to the repository and in service")]
    partial void LogAdded(string model, string modelVersion);
}
