using System.Text.RegularExpressions;

namespace TypedBert.Generators.Tests;

/// <summary>
/// The ```csharp blocks of README.md, each with the README line its code starts on. A block the README marks with
/// <c>&lt;!-- snippet: not compiled (reason) --&gt;</c> on the line before its fence carries that reason instead of being compiled.
/// </summary>
internal static partial class ReadmeSnippets
{
    public sealed record Snippet(int Line, string Code, string? NotCompiledReason);

    public static string ReadmePath => Path.Combine(RepositoryRoot(), "README.md");

    public static IReadOnlyList<Snippet> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var snippets = new List<Snippet>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimEnd() != "```csharp") continue;
            int end = Array.FindIndex(lines, i + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
            if (end < 0) throw new InvalidDataException($"{path}:{i + 1}: the ```csharp block is never closed; add a ``` line after its code");
            string? reason = i > 0 && NotCompiled().Match(lines[i - 1]) is { Success: true } m ? m.Groups[1].Value : null;
            snippets.Add(new Snippet(i + 2, string.Join("\n", lines[(i + 1)..end]), reason));
            i = end;
        }
        return snippets;
    }

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*not compiled\s*\((.+)\)\s*-->\s*$")]
    private static partial Regex NotCompiled();

    static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "TypedBert.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException($"no TypedBert.sln above {AppContext.BaseDirectory}");
    }
}
