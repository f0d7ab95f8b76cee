using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TypedBert.Server.Tests.Support;
using TypedBert.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace TypedBert.Server.Tests;

/// <summary>
/// The labelling page in the system's headless Chromium, against a real <c>typedbert serve</c>: ten texts labelled with the number keys
/// and the buttons, one undone, the server killed with SIGKILL, and the data file must hold exactly the nine labels given, each the label
/// the test chose for its text (the oracle: <see cref="LabellingSetup.Texts"/>). Then a server on the same file shows the nine rows,
/// and a click on Retrain shows progress and ends with the outcome.
/// </summary>
/// <remarks>With <c>TYPEDBERT_UPDATE_SCREENSHOTS=1</c> the screenshot at the end replaces docs/labelling.png.</remarks>
public sealed class LabellingBrowserTests(SavedModel model, ITestOutputHelper output) : IClassFixture<SavedModel>
{
    const string KeyVariable = "TYPEDBERT_TEST_LABEL_KEY";

    [Fact]
    public async Task Labels_given_with_keys_and_buttons_survive_a_kill_and_retrain_shows_progress()
    {
        using var setup = new LabellingSetup();
        var truth = LabellingSetup.Texts.ToDictionary(t => t.Text, t => t.Label);
        var labels = SavedModel.Labels;
        var given = new List<(string Text, string Label)>();
        await using var browser = await BrowserPage.OpenAsync(820, 900);

        await browser.RunAsync(nameof(Labels_given_with_keys_and_buttons_survive_a_kill_and_retrain_shows_progress), async page =>
        {
            var (server, address) = await ServeProcess.StartAsync(new Dictionary<string, string> { [KeyVariable] = LabellingSetup.Key },
                "--model", model.Path, "--label-data", setup.DataPath, "--label-pool", setup.PoolPath, "--api-key-env", KeyVariable);
            await using (server)
            {
                await OpenAsync(page, new Uri(address, "/label"));
                for (int i = 0; i < 10; i++)
                {
                    string text = (await page.Locator("#text").TextContentAsync())!;
                    string label = truth[text];
                    if (i % 2 == 0) await page.Keyboard.PressAsync((Array.IndexOf(labels, label) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    else await page.GetByRole(AriaRole.Button, new() { Name = label, Exact = true }).ClickAsync();
                    given.Add((text, label));
                    await Expect(page.Locator("#rows")).ToHaveTextAsync((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    await Expect(page.Locator("#text")).Not.ToHaveTextAsync(text);
                }
                // Undo takes the last label back and shows its text again.
                await page.Keyboard.PressAsync("u");
                await Expect(page.Locator("#rows")).ToHaveTextAsync("9");
                await Expect(page.Locator("#text")).ToHaveTextAsync(given[^1].Text);
                given.RemoveAt(given.Count - 1);
                await server.KillAsync();
            }
            Assert.Equal(given, setup.Rows().Select(r => (r.Text, r.Label)));

            // A server on the same file (in this process, its retrain bounded) picks up the nine rows; Retrain shows progress, then the outcome.
            var (app, _) = await LabellingSetup.StartAsync(setup.Options(model.Path));
            await using (app)
            {
                await OpenAsync(page, new Uri(new Uri(TypedBertServer.Addresses(app).Single()), "/label"));
                await Expect(page.Locator("#rows")).ToHaveTextAsync("9");
                await page.GetByRole(AriaRole.Button, new() { Name = "Retrain" }).ClickAsync();
                await Expect(page.Locator("#retrain-progress")).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retrain" })).ToBeDisabledAsync();
                await Expect(page.Locator("#retrain-status")).ToHaveTextAsync(new Regex("^(serving new model|kept old model)"));
                await Expect(page.Locator("#retrain-progress")).ToBeHiddenAsync();
                output.WriteLine(await page.Locator("#retrain-status").TextContentAsync());

                byte[] png = await page.ScreenshotAsync(new() { FullPage = true });
                string shot = Path.Combine(AppContext.BaseDirectory, "labelling.png");
                await File.WriteAllBytesAsync(shot, png);
                if (Environment.GetEnvironmentVariable("TYPEDBERT_UPDATE_SCREENSHOTS") == "1")
                    await File.WriteAllBytesAsync(Path.Combine(TestPaths.RepositoryRoot, "docs", "labelling.png"), png);
            }
            Assert.Equal(given, setup.Rows().Select(r => (r.Text, r.Label)));
        });
    }

    static async Task OpenAsync(IPage page, Uri address)
    {
        await page.GotoAsync(address.ToString());
        await page.GetByLabel("This server needs an API key").FillAsync(LabellingSetup.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await Expect(page.Locator("#text")).Not.ToHaveTextAsync("…");
        await Expect(page.Locator("#key")).ToBeHiddenAsync();
    }
}
