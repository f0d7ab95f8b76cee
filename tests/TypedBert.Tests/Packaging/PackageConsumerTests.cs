using System.Diagnostics;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// Packs TypedBert and the TypedBert.Cli tool into a folder feed and uses them as a stranger would: a fresh console project
/// outside the repository references the package (plus the libtorch backend the README names), marks an enum
/// <c>[BertLabels]</c>, builds, and prints a prediction of the generated classifier; the tool installs and answers --help.
/// </summary>
/// <remarks>
/// Packs with --no-build from the binaries the tests were built with, under a version unique to the run, so that no
/// package from an earlier run is ever picked up. The consumer restores through the machine's own NuGet configuration
/// (its feeds and global packages folder) plus the folder feed; the run's package is deleted from that folder afterwards.
/// </remarks>
[Trait("Category", "Packaging")]
public class PackageConsumerTests(ITestOutputHelper output)
{
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Packages_install_build_and_run_outside_the_repository()
    {
        var clock = Stopwatch.StartNew();
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;   // bin/<Configuration>/net10.0/
        string version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        string root = Directory.CreateTempSubdirectory("typedbert-packaging-").FullName;
        string feed = Path.Combine(root, "feed");
        try
        {
            var tool = Task.Run(() => PackAndInstallTool(root, feed, configuration, version));
            var consumer = Task.Run(() => PackAndRunConsumer(root, feed, configuration, version));
            string help = await tool;
            string prediction = await consumer;

            Assert.Matches(@"prediction: (Sad|Happy) \(\d+\.\d+ %\)", prediction);
            Assert.Contains("train", help);
            Assert.Contains("predict", help);
            Assert.Contains("eval", help);
            output.WriteLine($"packed, installed, built and ran in {clock.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
            string globalPackages = GlobalPackagesFolder();
            foreach (var id in new[] { "typedbert", "typedbert.cli" })
            {
                string extracted = Path.Combine(globalPackages, id, version);
                if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
            }
        }
    }

    internal static string Pack(string project, string feed, string configuration, string version)
    {
        var pack = Dotnet(TestPaths.RepositoryRoot, "pack", Path.Combine(TestPaths.RepositoryRoot, project), "-c", configuration,
            "--no-build", "--no-restore", "-o", feed, $"-p:Version={version}");
        string package = Path.Combine(feed, $"{Path.GetFileNameWithoutExtension(project)}.{version}.nupkg");
        Assert.True(File.Exists(package), $"{package} was not written\n{pack}");
        return package;
    }

    string PackAndInstallTool(string root, string feed, string configuration, string version)
    {
        Pack("src/TypedBert.Cli/TypedBert.Cli.csproj", feed, configuration, version);
        string tools = Path.Combine(root, "tools");
        Dotnet(root, "tool", "install", "TypedBert.Cli", "--version", version, "--tool-path", tools, "--add-source", feed);
        var help = ProcessRunner.Run(Path.Combine(tools, "typedbert"), ["--help"], root, StepLimit);
        Assert.True(help.ExitCode == 0, help.ToString());
        return help.StandardOutput;
    }

    string PackAndRunConsumer(string root, string feed, string configuration, string version)
    {
        string package = Pack("src/TypedBert/TypedBert.csproj", feed, configuration, version);
        using (var nupkg = System.IO.Compression.ZipFile.OpenRead(package))
        {
            var entries = nupkg.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/TypedBert.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/TypedBert.Generators.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/TypedBert.CodeFixes.dll", entries);
            Assert.Contains("buildTransitive/TypedBert.targets", entries);
            // The attributes and the options table: for the user's code, and beside the generator, which loads it at build time.
            Assert.Contains("lib/net10.0/TypedBert.Abstractions.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/TypedBert.Abstractions.dll", entries);
            using var nuspec = new StreamReader(nupkg.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            Assert.DoesNotContain("TypedBert.Abstractions", nuspec.ReadToEnd(), StringComparison.Ordinal);   // inside the package, not a package of its own
        }

        string app = Path.Combine(root, "consumer");
        Directory.CreateDirectory(app);
        IsolateFromRepository(app, feed);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <TypedBertEmbeddedModels>minilm-l6-uncased</TypedBertEmbeddedModels>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TypedBert" Version="{version}" />
                <PackageReference Include="libtorch-cpu-linux-x64" Version="{PinnedVersion("libtorch-cpu-linux-x64")}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System.Globalization;
            using TypedBert;

            using var classifier = MoodClassifier.FromPretrained();   // the embedded MiniLM with a new, untrained head
            var scores = classifier.PredictScores("What a lovely, sunny day.");
            Mood mood = classifier.Predict("What a lovely, sunny day.");
            Console.WriteLine($"prediction: {mood} ({(scores[mood] * 100).ToString("0.00", CultureInfo.InvariantCulture)} %)");

            [BertLabels(TrainingData = "data/mood.tsv")]
            public enum Mood { Sad, Happy }
            """);
        // Checked at build time: the package's targets make the training file an AdditionalFiles item with no help from the project.
        Directory.CreateDirectory(Path.Combine(app, "data"));
        File.WriteAllText(Path.Combine(app, "data", "mood.tsv"), "text\tlabel\nrain again\tSad\nsunny day\tHappy\n");
        // CI systems commonly set NUGET_PACKAGES without a trailing slash; the embedded model's path must survive that (MSB3030 otherwise).
        Dotnet(app, new Dictionary<string, string?> { ["NUGET_PACKAGES"] = GlobalPackagesFolder().TrimEnd('/', '\\') }, "build", "-c", "Release");
        var run = ProcessRunner.Run(ProcessRunner.Dotnet, ["run", "--no-build", "-c", "Release"], app, StepLimit);
        Assert.True(run.ExitCode == 0, run.ToString());
        output.WriteLine(run.StandardOutput);

        // A label the enum does not have fails the build, located in the data file (line 4: header, two good rows, then the typo).
        File.AppendAllText(Path.Combine(app, "data", "mood.tsv"), "so sad\tSda\n");
        var broken = ProcessRunner.Run(ProcessRunner.Dotnet, ["build", "-c", "Release"], app, StepLimit);
        Assert.True(broken.ExitCode != 0, broken.ToString());
        Assert.Contains($"{Path.Combine("data", "mood.tsv")}(4,1): error TB0201: Label 'Sda'", broken.StandardOutput);
        return run.StandardOutput;
    }

    /// <summary>
    /// Makes <paramref name="app"/> a project as a stranger has it: no repository files above it take effect, and the folder
    /// feed is added to the sources of the machine's own NuGet configuration, which NuGet still reads.
    /// </summary>
    internal static void IsolateFromRepository(string app, string feed)
    {
        // Stop MSBuild and NuGet from looking further up for repository files (the temporary folder could sit inside one).
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
        // The folder feed is added to the sources of the machine's own configuration, which NuGet still reads.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="typedbert-test-feed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>The version this repository pins for <paramref name="package"/> in Directory.Packages.props.</summary>
    internal static string PinnedVersion(string package) =>
        XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;

    /// <summary>Where NuGet extracts packages on this machine: NUGET_PACKAGES, else ~/.nuget/packages.</summary>
    internal static string GlobalPackagesFolder() => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
        ? configured : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    internal static ProcessResult Dotnet(string workingDirectory, params string[] arguments) => Dotnet(workingDirectory, null, arguments);

    internal static ProcessResult Dotnet(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var result = ProcessRunner.Run(ProcessRunner.Dotnet, arguments, workingDirectory, StepLimit, environment);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)}\n{result}");
        return result;
    }
}
