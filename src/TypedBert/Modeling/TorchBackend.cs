using System.Runtime.InteropServices;
using TorchSharp;

namespace TypedBert.Modeling;

/// <summary>
/// Loads libtorch once, before the first tensor or module, so that an application without a backend package fails with the package to
/// add rather than with <c>DllNotFoundException: LibTorchSharp</c> from deep inside TorchSharp. The library references only the managed
/// TorchSharp package: the application chooses the native backend (README, "Choosing the libtorch backend").
/// </summary>
internal static class TorchBackend
{
    /// <summary>The backend package this repository builds and tests with on Linux x64 (Directory.Packages.props pins the version).</summary>
    public const string LinuxPackage = "libtorch-cpu-linux-x64";

    /// <summary>The version of <see cref="LinuxPackage"/> that goes with this TorchSharp.</summary>
    public const string LinuxPackageVersion = "2.10.0";

    /// <summary>The package that bundles TorchSharp with libtorch-cpu for every OS libtorch supports.</summary>
    public const string PortablePackage = "TorchSharp-cpu";

    static readonly Lazy<Exception?> Failure = new(() => Probe(TryLoadQuietly));

    // TorchSharp prints a page of probing trace on standard output when it finds no backend; the exception says it in one line, so the
    // trace is held back for the one call that loads the backend (a command's output, a JSON on standard output, stays clean).
    static bool TryLoadQuietly()
    {
        var output = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            return torch.TryInitializeDeviceType(DeviceType.CPU);
        }
        finally
        {
            Console.SetOut(output);
        }
    }

    /// <summary>Loads the native backend the first time; throws the same explanation every time when it cannot be loaded.</summary>
    /// <exception cref="TorchBackendMissingException">No libtorch backend package is referenced (or its libraries do not load here).</exception>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } failure) throw new TorchBackendMissingException(failure.Message, failure.InnerException);
    }

    /// <summary><paramref name="name"/>, once the backend is loaded: for a module's base constructor, which calls into libtorch.</summary>
    internal static string Loaded(string name)
    {
        EnsureLoaded();
        return name;
    }

    /// <summary>Runs <paramref name="tryLoad"/>; null when it loaded the backend, otherwise the exception that explains what to add.</summary>
    internal static TorchBackendMissingException? Probe(Func<bool> tryLoad)
    {
        try
        {
            return tryLoad() ? null : Missing(null);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or EntryPointNotFoundException or BadImageFormatException)
        {
            return Missing(e);
        }
    }

    /// <summary>The explanation: what failed, the package that fixes it on this OS and the command that adds it.</summary>
    internal static TorchBackendMissingException Missing(Exception? cause)
    {
        string torchSharpVersion = typeof(torch).Assembly.GetName().Version is { } v ? $"{v.Major}.{v.Minor}.{v.Build}" : "";
        string add = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) && RuntimeInformation.ProcessArchitecture == Architecture.X64
            ? $"dotnet add package {LinuxPackage} --version {LinuxPackageVersion} (or {PortablePackage} --version {torchSharpVersion} on other systems)"
            : $"dotnet add package {PortablePackage} --version {torchSharpVersion}";
        string reason = cause is null ? "" : $" ({FirstLine(Innermost(cause).Message)})";
        return new TorchBackendMissingException(
            $"libtorch, the native library TypedBert runs on, could not be loaded{reason}: the application references TypedBert but no libtorch backend package. "
            + $"Add one to the project that runs it: {add}; for an NVIDIA GPU, TorchSharp-cuda-linux or TorchSharp-cuda-windows", cause);
    }

    static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
