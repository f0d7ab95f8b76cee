namespace TypedBert.Hub;

/// <summary>How far the download of one file has come.</summary>
/// <param name="FileName">The file's path in the repository.</param>
/// <param name="BytesDone">Bytes on disk so far, a resumed part included.</param>
/// <param name="BytesTotal">The file's size, or null when the hub did not say.</param>
public readonly record struct HubDownloadProgress(string FileName, long BytesDone, long? BytesTotal);
