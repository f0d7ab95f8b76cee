using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static TypedBert.Tests.Packaging.PackageConsumerTests;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// The dotnet new templates as a stranger uses them, outside the repository: the console project trains once, finds its
/// model and data from any current directory, trains again when the data changes; the API project listens while it trains
/// (/health "starting") and then serves what it trained.
/// </summary>
[Trait("Category", "Packaging")]
[Collection(TemplateJourneys.Name)]
public partial class TemplateTests(TemplateFeed feed, ITestOutputHelper output)
{
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public void Console_template_trains_once_finds_its_files_from_any_folder_and_trains_again_on_edited_data()
    {
        Assert.Contains("typedbert-api", feed.InstallOutput);
        string reviews = feed.Create(feed.Folder("outside"), "typedbert", "Reviews");

        // What the template made: the enum named after the project, the packages of this build, the build-time data check.
        string labels = File.ReadAllText(Path.Combine(reviews, "Labels.cs"));
        Assert.Contains("public enum Reviews { Negative, Positive }", labels);
        Assert.Contains("TrainingData = \"data/train.tsv\"", labels);
        Assert.Contains("[BertTrainingConfig(typeof(Reviews),", labels);
        Assert.Contains("Reviews.Predict(text)", File.ReadAllText(Path.Combine(reviews, "Program.cs")));
        string csproj = File.ReadAllText(Path.Combine(reviews, "Reviews.csproj"));
        Assert.Contains($"Include=\"TypedBert\" Version=\"{feed.Version}\"", csproj);
        Assert.Contains($"Include=\"libtorch-cpu-linux-x64\" Version=\"{PinnedVersion("libtorch-cpu-linux-x64")}\"", csproj);
        // The generated README does not send anyone to nuget.org for packages that are not there.
        Assert.DoesNotContain("nuget.org/packages", File.ReadAllText(Path.Combine(reviews, "README.md")));
        TemplateFeed.BuildClean(reviews);

        // From another folder, with dotnet run --project: trains, printing progress, and saves to the project's model/.
        string elsewhere = feed.Folder("elsewhere");
        var first = Run(elsewhere, "run", "--no-build", "-c", "Release", "--project", reviews);
        Assert.Contains("48 training and 16 test examples", first);
        Assert.Matches(@"step \d+/12, epoch 1/2: training loss \d+\.\d+", first);
        Assert.Matches(@"epoch 2/2: loss \d+\.\d+, accuracy \d+\.\d+ %", first);
        Assert.Matches(@"-> (Negative|Positive) \(Negative \d+\.\d %, Positive \d+\.\d %\)", first);
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "model")), "the program wrote model/ into the current directory");
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(reviews, "model", "config.json"))))
            Assert.Equal("Positive", config.RootElement.GetProperty("id2label").GetProperty("1").GetString());

        // The built program from a third folder: the saved model, no training.
        var second = Run(feed.Root, Program(reviews), "A delightful film.");
        Assert.DoesNotContain("training and", second);
        Assert.Matches(@"""A delightful film\."" -> (Negative|Positive)", second);
        Assert.False(Directory.Exists(Path.Combine(feed.Root, "model")), "the program wrote model/ into the current directory");

        // Edited data is noticed: the next run trains again, on the new rows.
        File.AppendAllText(Path.Combine(reviews, "data", "train.tsv"), "An utterly charming little film.\tPositive\n");
        var third = Run(elsewhere, Program(reviews));
        Assert.Contains("49 training and 16 test examples", third);
        output.WriteLine(first);
    }

    [Fact]
    public async Task Api_template_answers_starting_while_it_trains_then_serves_the_model()
    {
        string api = feed.Create(feed.Folder("outside-api"), "typedbert-api", "ReviewsApi");
        Assert.Contains($"Include=\"TypedBert.Server\" Version=\"{feed.Version}\"", File.ReadAllText(Path.Combine(api, "ReviewsApi.csproj")));
        TemplateFeed.BuildClean(api);

        // Started from another folder with no model: it listens at once, and trains.
        string elsewhere = feed.Folder("elsewhere-api");
        var start = new ProcessStartInfo(ProcessRunner.Dotnet)
        {
            WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string argument in new[] { Program(api), "--urls", "http://127.0.0.1:0" }) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (Listening().Match(e.Data) is { Success: true } match) listening.TrySetResult(new Uri(match.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

            // /health while training: 503 "starting" with the progress; then 200 "ok". The addresses change hands between
            // the two servers in milliseconds: at most one poll may land in that gap.
            var starting = new List<JsonElement>();
            int refused = 0;
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.True(clock.Elapsed < StepLimit, $"/health did not answer 200 within {StepLimit}");
                try
                {
                    using var health = await client.GetAsync("/health");
                    var body = await health.Content.ReadFromJsonAsync<JsonElement>();
                    if (health.StatusCode == HttpStatusCode.OK)
                    {
                        Assert.Equal("ok", body.GetProperty("status").GetString());
                        break;
                    }
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
                    Assert.Equal("starting", body.GetProperty("status").GetString());
                    starting.Add(body);
                }
                catch (HttpRequestException e) when (e.InnerException is SocketException)
                {
                    refused++;
                }
                await Task.Delay(200);
            }
            Assert.True(starting.Count >= 2, $"/health said \"starting\" {starting.Count} times before \"ok\"");
            Assert.Contains(starting, body => body.GetProperty("step").GetInt32() > 0 && body.GetProperty("total_steps").GetInt32() == 12);
            Assert.True(refused <= 1, $"{refused} /health polls were refused");

            using var predicted = await client.PostAsJsonAsync("/predict", new { text = "A delightful film." });
            Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
            string label = (await predicted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0].GetProperty("label").GetString()!;
            Assert.Contains(label, new[] { "Negative", "Positive" });
            Assert.Equal(label, await client.GetStringAsync("/label?text=A%20delightful%20film."));   // the typed call agrees
            Assert.Contains("TypedBert playground", await client.GetStringAsync("/"));
            Assert.True(File.Exists(Path.Combine(api, "model", "config.json")), "the model was not saved in the project folder");
            Assert.False(Directory.Exists(Path.Combine(elsewhere, "model")), "the app wrote model/ into the current directory");
        }
        catch (TimeoutException)
        {
            lock (log) Assert.Fail($"the server did not report its address within 90 s:\n{log}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (log) output.WriteLine(log.ToString());
        }
    }

    static string Program(string project) => TemplateFeed.Program(project);

    /// <summary>Runs dotnet with <paramref name="arguments"/> in <paramref name="workingDirectory"/>; its output, after asserting exit code 0.</summary>
    static string Run(string workingDirectory, params string[] arguments)
    {
        var run = ProcessRunner.Run(ProcessRunner.Dotnet, arguments, workingDirectory, StepLimit);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.StandardOutput;
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
