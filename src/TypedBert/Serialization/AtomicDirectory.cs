namespace TypedBert.Serialization;

/// <summary>
/// Replaces a whole folder so that readers see either the previous complete folder or the new complete one:
/// the new content is written (and flushed) into a staging folder beside the target, then swapped in by two renames.
/// </summary>
public static class AtomicDirectory
{
    /// <summary>Writes <paramref name="directory"/> through <paramref name="writeInto"/>, which receives the staging folder.</summary>
    public static void Write(string directory, Action<string> writeInto)
    {
        string target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        string name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, $".{name}.staging-{Guid.NewGuid():N}");
        string previous = PreviousPrefix(target) + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(staging);
            writeInto(staging);
            if (Directory.Exists(target))
            {
                Directory.Move(target, previous);
                Directory.Move(staging, target);
                Directory.Delete(previous, recursive: true);
            }
            else
            {
                Directory.Move(staging, target);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// When a crash fell between the two renames, the previous good folder is still beside the target under this prefix;
    /// returns it, or null.
    /// </summary>
    public static string? FindInterruptedPrevious(string directory)
    {
        string target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string parent = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(parent)) return null;
        return Directory.GetDirectories(parent, Path.GetFileName(PreviousPrefix(target)) + "*").FirstOrDefault();
    }

    static string PreviousPrefix(string target) =>
        Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.previous-");
}
