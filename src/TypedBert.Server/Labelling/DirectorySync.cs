using System.Runtime.InteropServices;

namespace TypedBert.Server.Labelling;

/// <summary>
/// Flushes a folder's entries to disk (Linux and macOS): after a rename, the new name survives a power cut only once its folder is
/// flushed. A killed process needs no flush (the kernel keeps the rename); this covers the machine going down.
/// </summary>
internal static class DirectorySync
{
    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows()) return; // NTFS journals renames; there is no folder handle to flush
        int descriptor = Open(folder, 0 /* O_RDONLY */);
        if (descriptor < 0) return; // best effort: the file itself was flushed before the rename
        try
        {
            _ = Fsync(descriptor);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [DllImport("libc", EntryPoint = "open", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int Open(string path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    static extern int Close(int descriptor);
}
