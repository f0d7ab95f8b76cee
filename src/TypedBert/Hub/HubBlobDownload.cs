using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace TypedBert.Hub;

/// <summary>
/// Downloads one blob the way <c>huggingface_hub</c> does: into <c>blobs/{etag}.incomplete</c>, resumed with an HTTP Range request when
/// a previous try left part of it, checked (size; sha256 of LFS files, which is their etag), and renamed into place only when whole.
/// </summary>
internal static class HubBlobDownload
{
    const int ReportEvery = 4 << 20;

    public static async Task RunAsync(HubHttp http, HubRepoId repo, string revision, string fileName, HubFileMetadata metadata, string blobPath,
        CancellationToken cancel)
    {
        var options = http.Options;
        string incomplete = blobPath + ".incomplete";
        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        long have = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
        if (metadata.Size is long size && have > size)
        {
            File.Delete(incomplete); // longer than the file can be: not a prefix of it
            have = 0;
        }
        if (!(have > 0 && have == metadata.Size))
            have = await FetchAsync(http, repo, revision, fileName, metadata, incomplete, have, cancel).ConfigureAwait(false);

        if (metadata.Size is long expected && have != expected)
        {
            if (have > expected) File.Delete(incomplete);
            throw new HubException(have < expected
                ? $"{repo}@{revision}: {fileName}: the download stopped after {have} of {expected} bytes; run again to resume it"
                : $"{repo}@{revision}: {fileName}: received {have} bytes, but the hub announced {expected}; the download was deleted",
                repo, revision, fileName);
        }
        if (metadata.IsLfs && metadata.Etag.Length == 64)
        {
            string actual;
            using (var stream = new FileStream(incomplete, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel).ConfigureAwait(false));
            if (!string.Equals(actual, metadata.Etag, StringComparison.OrdinalIgnoreCase))
            {
                File.Delete(incomplete);
                throw new HubChecksumMismatchException(repo, revision, fileName, metadata.Etag, actual);
            }
        }
        File.Move(incomplete, blobPath, overwrite: true);
        options.Progress?.Report(new HubDownloadProgress(fileName, have, metadata.Size ?? have));
    }

    /// <summary>Appends the missing bytes to <paramref name="incomplete"/>; returns its length afterwards.</summary>
    static async Task<long> FetchAsync(HubHttp http, HubRepoId repo, string revision, string fileName, HubFileMetadata metadata, string incomplete,
        long have, CancellationToken cancel)
    {
        var options = http.Options;
        var range = have > 0 ? new RangeHeaderValue(have, null) : null;
        using var response = await http.GetAsync(metadata.DownloadUrl, range, repo, revision, fileName, cancel).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // Nothing lies after what we have, yet the size did not match: start over on the next try.
            File.Delete(incomplete);
            throw new HubException($"{repo}@{revision}: {fileName}: the server refused to resume at byte {have}; the partial download was deleted, run again",
                repo, revision, fileName);
        }
        bool resumed = have > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        if (!resumed) have = 0; // the server sent the whole file

        using var file = new FileStream(incomplete, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var body = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        long sinceReport = 0;
        options.Progress?.Report(new HubDownloadProgress(fileName, have, metadata.Size));
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        while (true)
        {
            stall.CancelAfter(options.Timeout);
            int read;
            try
            {
                read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
            {
                await file.FlushAsync(CancellationToken.None).ConfigureAwait(false); // keep what arrived, for the next try to resume from
                throw new HubException($"{repo}@{revision}: {fileName}: the download broke off after {have} bytes " +
                    $"({(e is OperationCanceledException ? $"no data for {options.Timeout.TotalSeconds:0.#} s" : e.Message)}); run again to resume it",
                    repo, revision, fileName);
            }
            if (read == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, read), cancel).ConfigureAwait(false);
            have += read;
            sinceReport += read;
            if (sinceReport >= ReportEvery)
            {
                sinceReport = 0;
                options.Progress?.Report(new HubDownloadProgress(fileName, have, metadata.Size));
            }
        }
        file.Flush(flushToDisk: true);
        return have;
    }
}
