namespace TypedBert.Tests;

/// <summary>Locations the tests read from.</summary>
internal static class TestPaths
{
    /// <summary>The repository root (the folder holding TypedBert.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The shared data sets (SST-2, AG News): <c>$TYPEDBERT_SHARED_DATA</c>, else <c>../shared/data</c> beside the repository.
    /// Null on a fresh clone that lacks them.
    /// </summary>
    public static string? SharedData
    {
        get
        {
            string? configured = Environment.GetEnvironmentVariable("TYPEDBERT_SHARED_DATA");
            string candidate = !string.IsNullOrEmpty(configured) ? configured : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>Skips the calling test, with a message that says what is missing, when the shared data is absent.</summary>
    public static string RequireSharedData()
    {
        Skip.If(SharedData is null, "../shared/data (SST-2, AG News) is not beside this clone; set TYPEDBERT_SHARED_DATA to run this test.");
        return SharedData!;
    }

    /// <summary>A fixture file shipped with the tests.</summary>
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TypedBert.sln"))) return folder.FullName;
        throw new InvalidOperationException($"TypedBert.sln not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>A temporary folder removed when disposed.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "typedbert-tests-" + Guid.NewGuid().ToString("N"));

    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
