using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TypedBert.Tests.Cli;

/// <summary>
/// A real <c>typedbert serve</c> process on 127.0.0.1 and a port the system picks: its output collected, the address read from its
/// "listening on" line, killed (with its children) when disposed if it is still running.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    readonly StringBuilder log = new();
    readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    ServeProcess(string workingDirectory, string model, IEnumerable<string> options)
    {
        var start = new ProcessStartInfo(ProcessRunner.Dotnet)
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "TypedBert.Cli.dll"), "serve", "--model", model, "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(argument);
        foreach (string option in options) start.ArgumentList.Add(option);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        Process = new Process { StartInfo = start, EnableRaisingEvents = true };
        Process.OutputDataReceived += (_, e) => Record(e.Data);
        Process.ErrorDataReceived += (_, e) => Record(e.Data);
        Process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("typedbert serve exited before listening"));
    }

    /// <summary>The server's process.</summary>
    public Process Process { get; }

    /// <summary>Everything it wrote so far, both streams.</summary>
    public string Log
    {
        get
        {
            lock (log) return log.ToString();
        }
    }

    /// <summary>Starts <c>typedbert serve --model <paramref name="model"/></c>, and <paramref name="options"/>, in <paramref name="workingDirectory"/>.</summary>
    public static ServeProcess Start(string workingDirectory, string model, params string[] options)
    {
        var server = new ServeProcess(workingDirectory, model, options);
        Assert.True(server.Process.Start());
        server.Process.StandardInput.Close();
        server.Process.BeginOutputReadLine();
        server.Process.BeginErrorReadLine();
        return server;
    }

    /// <summary>The address it listens on, once it says so; throws when it exits first or <paramref name="timeout"/> passes.</summary>
    public Task<Uri> Listening(TimeSpan timeout) => listening.Task.WaitAsync(timeout);

    void Record(string? line)
    {
        if (line is null) return;
        lock (log) log.AppendLine(line);
        if (ListeningLine().Match(line) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync();
        Process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
