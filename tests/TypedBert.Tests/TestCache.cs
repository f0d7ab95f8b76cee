using System.Runtime.CompilerServices;

namespace TypedBert.Tests;

internal static class TestCache
{
    /// <summary>Imported models go to a cache inside the test output, so tests never touch the user's ~/.cache.</summary>
    [ModuleInitializer]
    internal static void UseTestOutputCache()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TYPEDBERT_CACHE")))
            Environment.SetEnvironmentVariable("TYPEDBERT_CACHE", Path.Combine(AppContext.BaseDirectory, "typedbert-cache"));
    }
}
