namespace TypedBert.Typed;

/// <summary>Finds the model folder named in <c>[BertLabels(ModelPath = ...)]</c>.</summary>
public static class ModelLocation
{
    /// <summary>An absolute path as it is; a relative one against the working directory, then the application's folder.</summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path)) return path;
        string fromWorkingDirectory = Path.GetFullPath(path);
        if (Directory.Exists(fromWorkingDirectory)) return fromWorkingDirectory;
        string fromApplication = Path.Combine(AppContext.BaseDirectory, path);
        return Directory.Exists(fromApplication) ? fromApplication : fromWorkingDirectory;
    }
}
