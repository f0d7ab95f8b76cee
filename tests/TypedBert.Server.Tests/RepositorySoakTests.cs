using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TypedBert.Server.Repository;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;
using Xunit.Abstractions;

namespace TypedBert.Server.Tests;

/// <summary>
/// The soak of docs/reliability.md, off in CI (it runs minutes): <c>TYPEDBERT_SOAK_SECONDS=180</c> turns it on; N clients
/// (<c>TYPEDBERT_SOAK_CLIENTS</c>, 64) send requests back to back to <c>/models/sentiment/predict</c> while a new version is renamed
/// into the repository every <c>TYPEDBERT_SOAK_SWAP_SECONDS</c> (20) and, once, a corrupt one. Reports failures, p99 latency during
/// swaps against steady state, and the process's resident memory after the first and after the last swap
/// (<c>TYPEDBERT_SOAK_REPORT=file</c> writes the line there).
/// </summary>
public sealed class RepositorySoakTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Clients_see_no_failure_while_versions_are_swapped_in_and_a_corrupt_one_is_refused()
    {
        int seconds = Setting("TYPEDBERT_SOAK_SECONDS", 0);
        Skip.If(seconds == 0, "the soak runs minutes: set TYPEDBERT_SOAK_SECONDS (180 for the figures of docs/reliability.md)");
        int clients = Setting("TYPEDBERT_SOAK_CLIENTS", 64);
        int swapEvery = Setting("TYPEDBERT_SOAK_SWAP_SECONDS", 20);

        using var folder = new TemporaryFolder();
        string repository = folder.File("repository");
        string model = Path.Combine(repository, "sentiment");
        using (var saved = new SavedModel()) Copy(saved.Path, Path.Combine(model, "1"));
        await using var server = await RunningServer.StartAsync(ModelRepositoryTests.Options(repository), captureLogs: CaptureLogs);
        var slot = server.App.Services.GetRequiredService<ModelRepository>().Find("sentiment")!;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients }) { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(2) };

        var clock = Stopwatch.StartNew();
        var samples = new List<(double At, double Milliseconds)>();
        var failures = new List<string>();
        var swapWindows = new List<(double From, double To)>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                long started = Stopwatch.GetTimestamp();
                double at = clock.Elapsed.TotalSeconds;
                using var response = await client.PostAsync("/models/sentiment/predict",
                    new StringContent($"{{\"text\": \"client {c} request {i}: a fine film\"}}", Encoding.UTF8, "application/json"));
                string answer = await response.Content.ReadAsStringAsync();
                double milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (samples) samples.Add((at, milliseconds));
                if (response.StatusCode != HttpStatusCode.OK) lock (failures) failures.Add($"{(int)response.StatusCode} {answer}");
            }
        })).ToArray();

        long firstSwapMemory = 0, lastSwapMemory = 0;
        var perSwap = new List<string>();
        int version = 1, swaps = 0;
        bool corruptDropped = false;
        while (clock.Elapsed.TotalSeconds + swapEvery <= seconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(swapEvery));
            if (!corruptDropped && swaps >= 2)
            {
                // Once: a version whose weights are garbage. It must be refused while the one in service goes on.
                string corrupt = Path.Combine(model, $".{++version}.partial");
                Copy(Path.Combine(model, "1"), corrupt);
                await File.WriteAllTextAsync(Path.Combine(corrupt, "model.safetensors"), "corrupt");
                Directory.Move(corrupt, Path.Combine(model, version.ToString(CultureInfo.InvariantCulture)));
                corruptDropped = true;
                await Until(() => slot.LastFailure?.Version == version.ToString(CultureInfo.InvariantCulture));
                continue;
            }
            var old = slot.Current;
            string staged = Path.Combine(model, $".{++version}.partial");
            Copy(Path.Combine(model, "1"), staged);
            double from = clock.Elapsed.TotalSeconds;
            Directory.Move(staged, Path.Combine(model, version.ToString(CultureInfo.InvariantCulture)));
            await Until(() => slot.Current.Model.Version == version.ToString(CultureInfo.InvariantCulture));
            await old.Disposed.WaitAsync(TimeSpan.FromMinutes(1));
            if (old.Model.Version != "1") Directory.Delete(Path.Combine(model, old.Model.Version!), recursive: true); // disk, not memory: it is loaded no more
            lock (swapWindows) swapWindows.Add((from, clock.Elapsed.TotalSeconds + 1));
            swaps++;
            var memory = ProcessMemory.Measure();
            perSwap.Add($"after swap {swaps}: {memory}, log entries kept {server.Logs.Entries.Count}");
            long resident = (long)(memory.ResidentMiB * 1048576);
            if (swaps == 1) firstSwapMemory = resident;
            lastSwapMemory = resident;
        }
        await stop.CancelAsync();
        await Task.WhenAll(load);

        bool DuringSwap(double at) => swapWindows.Any(w => at >= w.From && at <= w.To);
        var during = samples.Where(s => DuringSwap(s.At)).Select(s => s.Milliseconds).Order().ToArray();
        var steady = samples.Where(s => !DuringSwap(s.At)).Select(s => s.Milliseconds).Order().ToArray();
        string report = string.Create(CultureInfo.InvariantCulture,
            $"clients {clients}, duration {clock.Elapsed.TotalSeconds:0} s, swap every {swapEvery} s, swaps {swaps}, corrupt versions refused {(corruptDropped ? 1 : 0)}, " +
            $"requests {samples.Count}, failures {failures.Count}, p99 steady {Percentile(steady, 0.99):0} ms ({steady.Length} requests), " +
            $"p99 during swaps {Percentile(during, 0.99):0} ms ({during.Length} requests), ratio {Percentile(during, 0.99) / Percentile(steady, 0.99):0.00}, " +
            $"resident memory after swap 1 {firstSwapMemory / 1048576.0:0} MiB, after swap {swaps} {lastSwapMemory / 1048576.0:0} MiB " +
            $"({100.0 * (lastSwapMemory - firstSwapMemory) / firstSwapMemory:+0.0;-0.0} %), processors {Environment.ProcessorCount}");
        output.WriteLine(report);
        if (Environment.GetEnvironmentVariable("TYPEDBERT_SOAK_REPORT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, report + Environment.NewLine + string.Join(Environment.NewLine, perSwap) + Environment.NewLine);

        Assert.Empty(failures);
        Assert.True(swaps >= 1, report);
    }

    // TYPEDBERT_SOAK_CAPTURE_LOGS=1: keep every log entry as the other server tests do (to see what that costs); off, the memory is the server's.
    static bool CaptureLogs => Environment.GetEnvironmentVariable("TYPEDBERT_SOAK_CAPTURE_LOGS") == "1";

    static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (!condition()) await Task.Delay(50, timeout.Token);
    }

    static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
