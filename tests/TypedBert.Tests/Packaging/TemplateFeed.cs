using static TypedBert.Tests.Packaging.PackageConsumerTests;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// The packages a newcomer packs, made once for every template journey: TypedBert, TypedBert.Server and TypedBert.Templates
/// in a folder feed under a version unique to the run, and the templates installed into a temporary `dotnet new` home
/// (--debug:custom-hive, so the machine's own template list is untouched). Projects are created under <see cref="Root"/>.
/// </summary>
public sealed class TemplateFeed : IDisposable
{
    public TemplateFeed()
    {
        string configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;   // bin/<Configuration>/net10.0/
        Version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        Root = Directory.CreateTempSubdirectory("typedbert-templates-").FullName;
        Feed = Path.Combine(Root, "feed");
        Hive = Path.Combine(Root, "dotnet-new-home");
        // The libraries from the binaries the tests run on; the templates project is content only, packed with its tiny build.
        Pack("src/TypedBert/TypedBert.csproj", Feed, configuration, Version);
        Pack("src/TypedBert.Server/TypedBert.Server.csproj", Feed, configuration, Version);
        Dotnet(TestPaths.RepositoryRoot, "pack", Path.Combine(TestPaths.RepositoryRoot, "src", "TypedBert.Templates", "TypedBert.Templates.csproj"),
            "-c", configuration, "-o", Feed, $"-p:Version={Version}");
        InstallOutput = Dotnet(Root, "new", "install", Path.Combine(Feed, $"TypedBert.Templates.{Version}.nupkg"), "--debug:custom-hive", Hive).StandardOutput;
    }

    /// <summary>The packages' version.</summary>
    public string Version { get; }

    /// <summary>A temporary folder outside the repository, holding the feed and every project the tests create.</summary>
    public string Root { get; }

    /// <summary>The folder feed.</summary>
    public string Feed { get; }

    /// <summary>The temporary `dotnet new` home.</summary>
    public string Hive { get; }

    /// <summary>What `dotnet new install` printed.</summary>
    public string InstallOutput { get; }

    /// <summary>A new folder under <see cref="Root"/>, for projects or for running a program from somewhere else.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>
    /// `dotnet new <paramref name="template"/> -n <paramref name="name"/>` in <paramref name="parent"/>, as the README runs it, then a
    /// nuget.config naming the feed (the README's `dotnet nuget add source`); the machine's own sources still apply.
    /// </summary>
    public string Create(string parent, string template, string name, params string[] options)
    {
        Dotnet(parent, ["new", template, "-n", name, "--debug:custom-hive", Hive, .. options]);
        string project = Path.Combine(parent, name);
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="typedbert-test-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        return project;
    }

    /// <summary>`dotnet build -c Release` in <paramref name="project"/>; the caller asserts on the result.</summary>
    public static ProcessResult Build(string project) =>
        ProcessRunner.Run(ProcessRunner.Dotnet, ["build", "-c", "Release"], project, TimeSpan.FromMinutes(5));

    /// <summary>Builds and asserts that the build succeeded with no warning.</summary>
    public static void BuildClean(string project)
    {
        var build = Build(project);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(build.StandardOutput.Contains(" 0 Warning(s)", StringComparison.Ordinal), $"warnings in {project}:\n{build.StandardOutput}");
    }

    /// <summary>The built program of <paramref name="project"/>.</summary>
    public static string Program(string project) =>
        Path.Combine(project, "bin", "Release", "net10.0", Path.GetFileName(project) + ".dll");

    public void Dispose()
    {
        Directory.Delete(Root, recursive: true);
        foreach (var id in new[] { "typedbert", "typedbert.server" })
        {
            string extracted = Path.Combine(GlobalPackagesFolder(), id, Version);
            if (Directory.Exists(extracted)) Directory.Delete(extracted, recursive: true);
        }
    }
}

/// <summary>The template journeys share one <see cref="TemplateFeed"/> and run one after another (each builds and trains).</summary>
[CollectionDefinition(Name)]
public sealed class TemplateJourneys : ICollectionFixture<TemplateFeed>
{
    public const string Name = "Template journeys";
}
