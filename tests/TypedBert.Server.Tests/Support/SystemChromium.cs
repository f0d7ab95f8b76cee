using Microsoft.Playwright;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// The system's Chromium (Debian's package), driven by Playwright: Playwright's driver ships inside its NuGet package and
/// is pointed at this executable, so nothing is downloaded. A missing browser fails the test with the command that installs it.
/// </summary>
internal static class SystemChromium
{
    /// <summary>The Chromium executable: <c>TYPEDBERT_CHROMIUM</c>, else Debian's and Ubuntu's usual paths.</summary>
    public static string Executable()
    {
        string? configured = Environment.GetEnvironmentVariable("TYPEDBERT_CHROMIUM");
        string[] candidates = string.IsNullOrEmpty(configured)
            ? ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
            : [configured];
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException(
                $"no Chromium at {string.Join(" or ", candidates)}: the browser tests need one; install Debian's package with "
                + "`apt-get install chromium` (.ci/run does), or name another executable in TYPEDBERT_CHROMIUM");
    }

    /// <summary>Starts Playwright and a headless Chromium from <see cref="Executable"/>.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        string executable = Executable();
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        try
        {
            // Playwright adds --no-sandbox by default (ChromiumSandbox = false): CI runs as root, where the sandbox refuses to start.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
