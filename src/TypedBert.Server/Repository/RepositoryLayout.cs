using System.Globalization;
using System.Text.RegularExpressions;

namespace TypedBert.Server.Repository;

/// <summary>
/// Reads a model repository's folders: <c>ROOT/&lt;name&gt;/&lt;version&gt;/</c>, names of letters, digits, <c>.</c>, <c>_</c> and <c>-</c>,
/// versions whole numbers. Folders whose name starts with <c>.</c> are ignored at both levels: that is where a new version is written
/// before it is renamed into place, so that the server never sees a half-copied one.
/// </summary>
internal static partial class RepositoryLayout
{
    /// <summary>Each model's versions, highest last, and a message for each folder that breaks the layout (named relative to <paramref name="root"/>).</summary>
    public static (IReadOnlyDictionary<string, IReadOnlyList<ModelVersionFolder>> Models, IReadOnlyList<string> Problems) Scan(string root)
    {
        var models = new Dictionary<string, IReadOnlyList<ModelVersionFolder>>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (string folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(folder);
            string shown = Path.GetRelativePath(root, folder);
            if (name.StartsWith('.')) continue;
            if (!ModelName().IsMatch(name))
            {
                problems.Add($"{shown}: a model name may hold only letters, digits, '.', '_' and '-' (it becomes part of the URL /models/{{name}}/predict)");
                continue;
            }
            if (models.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
            {
                problems.Add($"{shown}: two models named {name} and {taken} (URLs ignore case); rename one of them");
                continue;
            }
            var versions = new List<ModelVersionFolder>();
            foreach (string versionFolder in Directory.EnumerateDirectories(folder))
            {
                string version = Path.GetFileName(versionFolder);
                string shownVersion = Path.GetRelativePath(root, versionFolder);
                if (version.StartsWith('.')) continue;
                if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number < 1)
                {
                    problems.Add($"{shownVersion}: a version folder's name must be a whole number (1, 2, ...), not \"{version}\"; "
                        + "write a new version under a name starting with '.' and rename it to the next number when it is complete");
                    continue;
                }
                if (versions.Find(v => v.Number == number) is { } same)
                {
                    problems.Add($"{shownVersion}: version {number} is also {Path.GetRelativePath(root, same.Path)}; give each version its own number");
                    continue;
                }
                versions.Add(new ModelVersionFolder(name, number, versionFolder));
            }
            if (versions.Count == 0)
            {
                problems.Add($"{shown}: no version folder (expected {shown}/1/, {shown}/2/ and so on)");
                continue;
            }
            models.Add(name, [.. versions.OrderBy(v => v.Number)]);
        }
        return (models, problems);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex ModelName();
}

/// <summary>One version folder of a model in the repository.</summary>
internal sealed record ModelVersionFolder(string Name, long Number, string Path)
{
    public string Version => Number.ToString(CultureInfo.InvariantCulture);
}
