using System.Xml.Linq;
using TypedBert.Modeling;

namespace TypedBert.Tests.Native;

/// <summary>
/// An application without a libtorch backend package is told which package to add, with the versions this repository pins, rather
/// than getting <c>DllNotFoundException: LibTorchSharp</c>. The load failure is simulated; the real backend loads here.
/// </summary>
public sealed class TorchBackendTests
{
    static string Pinned(string package) => XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props"))
        .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == package).Attribute("Version")!.Value;

    [Fact]
    public void A_missing_native_library_names_the_package_and_the_command_that_adds_it()
    {
        var missing = TorchBackend.Probe(() => throw new DllNotFoundException(
            "Unable to load shared library 'LibTorchSharp' or one of its dependencies.\nlibtorch.so: cannot open shared object file"));
        Assert.NotNull(missing);
        Assert.Contains("could not be loaded (Unable to load shared library 'LibTorchSharp' or one of its dependencies.)", missing.Message);
        Assert.Contains($"dotnet add package libtorch-cpu-linux-x64 --version {Pinned("libtorch-cpu-linux-x64")}", missing.Message);
        Assert.Contains($"TorchSharp-cpu --version {Pinned("TorchSharp-cpu")}", missing.Message);
        Assert.DoesNotContain("\n", missing.Message);
        Assert.IsType<DllNotFoundException>(missing.InnerException);

        // TorchSharp's own probe answers false rather than throwing when it finds no backend.
        Assert.Contains("dotnet add package", TorchBackend.Probe(() => false)!.Message);
        Assert.Null(TorchBackend.Probe(() => true));
    }

    [Fact]
    public void The_backend_of_this_project_loads()
    {
        TorchBackend.EnsureLoaded();
        Assert.Equal(TorchBackend.LinuxPackageVersion, Pinned(TorchBackend.LinuxPackage));
    }
}
