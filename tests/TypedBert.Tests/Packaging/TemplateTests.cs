using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using static TypedBert.Tests.Packaging.PackageConsumerTests;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// The dotnet new templates as a stranger uses them: TypedBert.Templates, TypedBert and TypedBert.Server are packed into a
/// folder feed, the templates are installed into a temporary `dotnet new` home (--debug:custom-hive, so the machine's own
/// template list is untouched), and projects made from them outside the repository build against the packed packages.
/// The console project trains, evaluates and predicts; the server project starts on the model it trained and answers.
/// </summary>
[Trait("Category", "Packaging")]
public partial class TemplateTests(ITestOutputHelper output)
{
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Templates_create_projects_that_build_train_predict_and_serve()
    {
        var clock = Stopwatch.StartNew();
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;   // bin/<Configuration>/net10.0/
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        string root = Directory.CreateTempSubdirectory("typedbert-templates-").FullName;
        string feed = Path.Combine(root, "feed");
        string hive = Path.Combine(root, "dotnet-new-home");
        try
        {
            // The libraries from the binaries the tests run on; the templates project is content only, packed with its tiny build.
            Pack("src/TypedBert/TypedBert.csproj", feed, configuration, version);
            Pack("src/TypedBert.Server/TypedBert.Server.csproj", feed, configuration, version);
            Dotnet(TestPaths.RepositoryRoot, "pack", Path.Combine(TestPaths.RepositoryRoot, "src", "TypedBert.Templates", "TypedBert.Templates.csproj"),
                "-c", configuration, "-o", feed, $"-p:Version={version}");
            string templates = Path.Combine(feed, $"TypedBert.Templates.{version}.nupkg");
            var installed = Dotnet(root, "new", "install", templates, "--debug:custom-hive", hive);
            Assert.Contains("typedbert-api", installed.StandardOutput);

            string reviews = New(root, hive, "typedbert", "Reviews");
            string tickets = New(root, hive, "typedbert", "Tickets", "--flags", "--labels", "Urgent, Billing,Login");
            string api = New(root, hive, "typedbert-api", "ReviewsApi");

            // What the options did: the enum's members, the flag values, data files whose labels the enum parses.
            Assert.Contains("public enum Reviews { Negative, Positive }", File.ReadAllText(Path.Combine(reviews, "Labels.cs")));
            Assert.Contains("[BertTrainingConfig(typeof(Reviews),", File.ReadAllText(Path.Combine(reviews, "Labels.cs")));
            Assert.Contains("Reviews.Predict(text)", File.ReadAllText(Path.Combine(reviews, "Program.cs")));
            Assert.Contains($"Include=\"TypedBert\" Version=\"{version}\"", File.ReadAllText(Path.Combine(reviews, "Reviews.csproj")));
            Assert.Contains($"Include=\"libtorch-cpu-linux-x64\" Version=\"{PinnedVersion("libtorch-cpu-linux-x64")}\"", File.ReadAllText(Path.Combine(reviews, "Reviews.csproj")));
            Assert.True(File.Exists(Path.Combine(reviews, "README.md")));
            Assert.Contains("[BertLabels(Model = \"minilm-l6-uncased\", ModelPath = \"model\"), Flags]", File.ReadAllText(Path.Combine(tickets, "Labels.cs")));
            Assert.Contains("public enum Tickets { None = 0, Urgent = 1 << 0, Billing = 1 << 1, Login = 1 << 2 }", File.ReadAllText(Path.Combine(tickets, "Labels.cs")));
            Assert.Equal(["Billing", "Urgent"], File.ReadLines(Path.Combine(tickets, "data", "train.tsv")).Skip(1).Select(l => l.Split('\t')[1]).Distinct().Order());
            Assert.Contains($"Include=\"TypedBert.Server\" Version=\"{version}\"", File.ReadAllText(Path.Combine(api, "ReviewsApi.csproj")));

            foreach (string project in new[] { reviews, tickets, api }) IsolateFromRepository(project, feed);
            // The flags project is built, not run: the generator checks its enum (distinct powers of two) at compile time.
            var builds = new[] { reviews, tickets, api }.Select(project => Task.Run(() => Dotnet(project, "build", "-c", "Release"))).ToList();
            await Task.WhenAll(builds);

            var run = ProcessRunner.Run(ProcessRunner.Dotnet, ["run", "--no-build", "-c", "Release"], reviews, StepLimit);
            Assert.True(run.ExitCode == 0, run.ToString());
            output.WriteLine(run.StandardOutput);
            Assert.Contains("48 training and 16 test examples", run.StandardOutput);
            Assert.Matches(@"before fine-tuning: loss \d+\.\d+, accuracy \d+\.\d+ %", run.StandardOutput);
            Assert.Matches(@"epoch 2/2: training loss \d+\.\d+", run.StandardOutput);
            Assert.Matches(@"-> (Negative|Positive) \(Negative \d+\.\d %, Positive \d+\.\d %\)", run.StandardOutput);
            using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(reviews, "model", "config.json"))))
                Assert.Equal("Positive", config.RootElement.GetProperty("id2label").GetProperty("1").GetString());

            // The server project on the model the console project saved (same enum), so it starts without training.
            CopyFolder(Path.Combine(reviews, "model"), Path.Combine(api, "model"));
            await ServeAndAsk(api);
            output.WriteLine($"packed, installed, created, built, trained and served in {clock.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            foreach (var id in new[] { "typedbert", "typedbert.server" })
            {
                string extracted = Path.Combine(GlobalPackagesFolder(), id, version);
                if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
            }
        }
    }

    static string New(string root, string hive, string template, string name, params string[] options)
    {
        string folder = Path.Combine(root, name);
        Dotnet(root, ["new", template, "-n", name, "-o", folder, "--debug:custom-hive", hive, .. options]);
        return folder;
    }

    async Task ServeAndAsk(string project)
    {
        var start = new ProcessStartInfo(ProcessRunner.Dotnet)
        {
            WorkingDirectory = project, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string argument in new[] { Path.Combine("bin", "Release", "net10.0", "ReviewsApi.dll"), "--urls", "http://127.0.0.1:0" })
            start.ArgumentList.Add(argument);
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
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            using var predicted = await client.PostAsJsonAsync("/predict", new { text = "A delightful film." });
            Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
            string label = (await predicted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0].GetProperty("label").GetString()!;
            Assert.Contains(label, new[] { "Negative", "Positive" });
            Assert.Equal(label, await client.GetStringAsync("/label?text=A%20delightful%20film."));   // the typed call agrees
            Assert.Contains("TypedBert playground", await client.GetStringAsync("/"));
        }
        catch (TimeoutException)
        {
            lock (log) Assert.Fail($"the server did not report its address within 90 s:\n{log}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
