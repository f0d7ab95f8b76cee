using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// A real <c>typedbert serve</c> process on 127.0.0.1 and a port the system picks, with its output collected; <see cref="Kill"/> sends
/// SIGKILL (no shutdown code runs), and disposing kills it if it still runs.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    readonly StringBuilder log = new();
    readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Process process;

    ServeProcess(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), "serve", "--urls", "http://127.0.0.1:0" }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("typedbert serve exited before listening:\n" + Log));
    }

    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    public static async Task<(ServeProcess Server, Uri Address)> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var server = new ServeProcess(arguments, environment);
        Assert.True(server.process.Start());
        server.process.StandardInput.Close();
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        try
        {
            return (server, await server.listening.Task.WaitAsync(TimeSpan.FromMinutes(2)));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    void Record(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
        if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
