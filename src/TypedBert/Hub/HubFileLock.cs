namespace TypedBert.Hub;

/// <summary>
/// An exclusive lock on <c>.locks/…/{etag}.lock</c>, so two processes never write one blob at once. .NET takes an advisory
/// <c>flock</c> for <see cref="FileShare.None"/> on Unix, the same lock Python's <c>filelock</c> takes, so TypedBert and Python wait for
/// each other too.
/// </summary>
internal static class HubFileLock
{
    static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(30);

    public static async Task<IDisposable> AcquireAsync(string path, CancellationToken cancel)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var started = DateTime.UtcNow;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow - started < MaxWait)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancel).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new IOException($"{path}: another download of this file has held the lock for {MaxWait.TotalMinutes:0} minutes; " +
                    "if no download is running, delete the lock file", e);
            }
        }
    }
}
