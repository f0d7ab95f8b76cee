using System.Diagnostics;

namespace TypedBert.Server.Tests.Support;

/// <summary>Node.js, to run the playground's script where no browser is installed: <c>TYPEDBERT_NODE</c>, else <c>node</c> on the PATH.</summary>
internal static class Node
{
    /// <summary>The executable, or null when there is none.</summary>
    public static string? FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable("TYPEDBERT_NODE");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "node")).FirstOrDefault(File.Exists);
    }

    /// <summary>Runs <paramref name="executable"/> with the arguments; its standard output, or an exception with its standard error.</summary>
    public static async Task<string> RunAsync(string executable, IEnumerable<string> arguments, TimeSpan limit)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node ran past {limit.TotalSeconds:0} s: {await error}");
        }
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"node exited with {process.ExitCode}: {await error}");
    }
}
