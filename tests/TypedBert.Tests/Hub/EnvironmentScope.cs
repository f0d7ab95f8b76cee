namespace TypedBert.Tests.Hub;

/// <summary>Sets environment variables for one test and puts the previous values back when disposed.</summary>
internal sealed class EnvironmentScope : IDisposable
{
    readonly Dictionary<string, string?> previous = [];

    public EnvironmentScope(params (string Name, string? Value)[] variables)
    {
        foreach (var (name, value) in variables)
        {
            previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in previous) Environment.SetEnvironmentVariable(name, value);
    }
}
