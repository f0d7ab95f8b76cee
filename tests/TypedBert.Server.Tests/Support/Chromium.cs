using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using TypedBert.Tests;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// The system's Chromium, headless, driven over the Chrome DevTools Protocol (no driver, no browser download: it runs the
/// executable the system package installed, or the one named by <c>TYPEDBERT_CHROMIUM</c>).
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    readonly Process process;
    readonly TemporaryFolder profile;
    readonly HttpClient devTools;

    Chromium(Process process, TemporaryFolder profile, int port)
    {
        this.process = process;
        this.profile = profile;
        devTools = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The Chromium executable: <c>TYPEDBERT_CHROMIUM</c>, else Debian's and Ubuntu's usual paths; null when none exists.</summary>
    public static string? FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable("TYPEDBERT_CHROMIUM");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
    }

    /// <summary>Starts the browser on a port of its own choosing, read from the DevToolsActivePort file it writes into its profile.</summary>
    public static async Task<Chromium> LaunchAsync(string executable, int width, int height)
    {
        var profile = new TemporaryFolder();
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
                 {
                     "--headless=new",
                     // CI runs as root, where Chromium refuses to start with its sandbox; it only ever loads the test's local page.
                     "--no-sandbox",
                     "--disable-gpu",
                     "--remote-debugging-port=0",
                     $"--user-data-dir={profile.Path}",
                     $"--window-size={width},{height}",
                     "--force-device-scale-factor=1",
                     "--hide-scrollbars",
                     // Nothing but the test's page: no update checks, sync, translation or other background requests.
                     "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-extensions", "--disable-features=Translate,MediaRouter,OptimizationHints",
                     "about:blank",
                 })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        string portFile = profile.File("DevToolsActivePort");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{executable} exited with {process.ExitCode}: {errors}");
            if (File.Exists(portFile) && File.ReadAllLines(portFile) is [var port, ..] && int.TryParse(port, out int number) && number > 0)
                return new Chromium(process, profile, number);
            await Task.Delay(100);
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"{executable} did not open its DevTools port within 60 s: {errors}");
    }

    /// <summary>Opens a new tab on <paramref name="url"/> and connects to it.</summary>
    public async Task<DevToolsPage> OpenAsync(Uri url)
    {
        // Chromium answers PUT /json/new (GET is refused by current versions) with the new target and its WebSocket address.
        using var response = await devTools.PutAsync($"/json/new?{Uri.EscapeDataString(url.ToString())}", null);
        response.EnsureSuccessStatusCode();
        var target = await response.Content.ReadFromJsonAsync<JsonElement>();
        return await DevToolsPage.ConnectAsync(new Uri(target.GetProperty("webSocketDebuggerUrl").GetString()!));
    }

    public async ValueTask DisposeAsync()
    {
        devTools.Dispose();
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
        profile.Dispose();
    }
}
