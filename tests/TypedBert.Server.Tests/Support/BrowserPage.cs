using Microsoft.Playwright;

namespace TypedBert.Server.Tests.Support;

/// <summary>
/// One page in the system Chromium, for one test. <see cref="RunAsync"/> runs the test's steps on it and, when a step fails,
/// saves what the page looked like (a screenshot and its HTML) in the test's output folder and names both in the failure.
/// </summary>
internal sealed class BrowserPage : IAsyncDisposable
{
    readonly IPlaywright playwright;
    readonly IBrowser browser;

    BrowserPage(IPlaywright playwright, IBrowser browser, IPage page)
    {
        this.playwright = playwright;
        this.browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> OpenAsync(int width, int height)
    {
        var (playwright, browser) = await SystemChromium.LaunchAsync();
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
        });
        // A person waits, not forever: every click, fill and expectation gives up after this long.
        // (Expect's own default is 5 s, too short for a first prediction on two busy cores.)
        page.SetDefaultTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(60_000);
        return new BrowserPage(playwright, browser, page);
    }

    /// <summary>Runs <paramref name="steps"/>; on failure, saves <c>{name}.failure.png</c> and <c>.html</c> beside the test assembly.</summary>
    public async Task RunAsync(string name, Func<IPage, Task> steps)
    {
        try
        {
            await steps(Page);
        }
        catch (Exception failure)
        {
            string folder = Path.Combine(AppContext.BaseDirectory, "browser-failures");
            Directory.CreateDirectory(folder);
            string screenshot = Path.Combine(folder, $"{name}.failure.png");
            string html = Path.Combine(folder, $"{name}.failure.html");
            string saved;
            try
            {
                await Page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
                await File.WriteAllTextAsync(html, await Page.ContentAsync());
                saved = $"the page as it was: {screenshot} and {html}";
            }
            catch (Exception evidence)
            {
                saved = $"the page could not be saved ({evidence.Message})";
            }
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n{saved}", failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}
