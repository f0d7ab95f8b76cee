using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TypedBert.Tests.Hub;

/// <summary>
/// A small Hugging Face hub on 127.0.0.1, speaking the protocol huggingface_hub relies on: <c>/{id}/resolve/{revision}/{path}</c> with
/// X-Repo-Commit, ETag (git object id) or X-Linked-Etag/X-Linked-Size plus a redirect to a storage host for LFS files, Range requests,
/// X-Error-Code on errors, and the revision and paginated tree APIs of datasets. The storage host is <c>localhost</c>, a different host
/// name than the hub's, so the tests can see that the token stays with the hub.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    readonly HttpListener listener;
    readonly Task serving;
    readonly ConcurrentDictionary<string, FakeRepo> repos = new();
    readonly ConcurrentDictionary<string, FakeFile> storage = new();
    readonly int port;

    public FakeHub()
    {
        for (int attempt = 0; ; attempt++)
        {
            port = FreePort();
            listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            listener.Prefixes.Add($"http://localhost:{port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5) { listener.Close(); }
        }
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The hub's address, for HubOptions.Endpoint or HF_ENDPOINT.</summary>
    public string Endpoint => $"http://127.0.0.1:{port}";

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    /// <summary>When set, the hub answers 401 to a request without <c>Authorization: Bearer {token}</c>, echoing what it got (as a careless server might).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Entries per page of the tree API.</summary>
    public int TreePageSize { get; set; } = 2;

    /// <summary>
    /// Holds every request that <paramref name="which"/> selects, unanswered, until the returned gate opens (or the hub is disposed):
    /// a download that is certainly in flight, for cancellation tests, without guessing how long one takes.
    /// </summary>
    /// <param name="which">The requests to hold.</param>
    /// <param name="onArrival">Runs on the server when the first one arrives, before it is held (for example, to cancel the client).</param>
    public RequestGate HoldRequests(Func<SeenRequest, bool> which, Action? onArrival = null) => gate = new RequestGate(which, onArrival);

    RequestGate? gate;

    public FakeRepo AddRepo(string id, bool dataset = false) => repos.GetOrAdd((dataset ? "dataset:" : "model:") + id, _ => new FakeRepo(this));

    /// <summary>A model repository holding copies of the files of <paramref name="folder"/>; safetensors files are stored in LFS.</summary>
    public FakeRevision AddModelFromFolder(string id, string folder)
    {
        var main = AddRepo(id).Branch("main");
        foreach (string file in Directory.GetFiles(folder))
            main.Add(Path.GetFileName(file), File.ReadAllBytes(file), lfs: file.EndsWith(".safetensors", StringComparison.Ordinal));
        return main;
    }

    public void Dispose()
    {
        gate?.Open();
        listener.Stop();
        listener.Close();
        try { serving.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }

    static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int free = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return free;
    }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        string rawPath = request.RawUrl!.Split('?')[0];
        string[] segments = [.. rawPath.Trim('/').Split('/').Select(Uri.UnescapeDataString)];
        var seen = new SeenRequest(request.HttpMethod, request.Url!.Host, rawPath, request.Headers["Range"], request.Headers["Authorization"]);
        Requests.Enqueue(seen);
        if (gate is { } held && held.Selects(seen)) held.Hold();
        try
        {
            if (segments[0] == "storage") ServeStorage(context, segments[1]);
            else if (RequiredToken is not null && request.Headers["Authorization"] != "Bearer " + RequiredToken)
                Error(response, 401, null, $"Invalid credentials in Authorization header: {request.Headers["Authorization"]}");
            else if (segments[0] == "api") ServeApi(context, segments);
            else ServeResolve(context, segments);
        }
        catch (Exception e) when (e is HttpListenerException or IOException) { }
        finally
        {
            try { response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException) { }
        }
    }

    void ServeResolve(HttpListenerContext context, string[] segments)
    {
        bool dataset = segments[0] == "datasets";
        var rest = dataset ? segments[1..] : segments;
        int resolve = Array.IndexOf(rest, "resolve");
        if (resolve < 1 || rest.Length < resolve + 3) { Error(context.Response, 404, null, "no such route"); return; }
        var revision = Find(dataset, string.Join('/', rest[..resolve]), rest[resolve + 1], context.Response);
        if (revision is null) return;
        string path = string.Join('/', rest[(resolve + 2)..]);
        var response = context.Response;
        response.Headers["X-Repo-Commit"] = revision.Commit;
        if (!revision.Files.TryGetValue(path, out var file)) { Error(response, 404, "EntryNotFound", $"{path} does not exist"); return; }
        if (file.Lfs)
        {
            response.StatusCode = 302;
            response.Headers["Location"] = $"http://localhost:{port}/storage/{file.StorageId}";
            response.Headers["X-Linked-Etag"] = $"\"{file.AnnouncedSha256}\"";
            response.Headers["X-Linked-Size"] = file.Content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["ETag"] = $"\"{file.GitOid}\"";
            return;
        }
        response.Headers["ETag"] = $"\"{file.GitOid}\"";
        WriteContent(context, file.Content);
    }

    void ServeStorage(HttpListenerContext context, string id)
    {
        if (!storage.TryGetValue(id, out var file)) { Error(context.Response, 404, null, "no such object"); return; }
        WriteContent(context, file.Content);
    }

    static void WriteContent(HttpListenerContext context, byte[] content)
    {
        var response = context.Response;
        long from = 0;
        if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            from = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (from >= content.Length) { response.StatusCode = 416; return; }
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{content.Length - 1}/{content.Length}";
        }
        response.ContentLength64 = content.Length - from;
        if (context.Request.HttpMethod == "HEAD") return;
        response.OutputStream.Write(content, (int)from, content.Length - (int)from);
    }

    void ServeApi(HttpListenerContext context, string[] segments)
    {
        // /api/datasets/{id...}/{revision|tree}/{revision}/{path...}
        bool dataset = segments[1] == "datasets";
        int verb = Array.FindIndex(segments, 3, s => s is "revision" or "tree");
        if (verb < 0 || segments.Length < verb + 2) { Error(context.Response, 404, null, "no such route"); return; }
        var revision = Find(dataset, string.Join('/', segments[2..verb]), segments[verb + 1], context.Response);
        if (revision is null) return;
        object answer;
        if (segments[verb] == "revision")
        {
            answer = new { id = string.Join('/', segments[2..verb]), sha = revision.Commit };
        }
        else
        {
            string folder = string.Join('/', segments[(verb + 2)..]);
            var entries = revision.Entries(folder);
            if (entries is null) { Error(context.Response, 404, "EntryNotFound", $"{folder} does not exist"); return; }
            int cursor = int.TryParse(context.Request.QueryString["cursor"], out int c) ? c : 0;
            answer = entries.Skip(cursor).Take(TreePageSize).ToList();
            if (cursor + TreePageSize < entries.Count)
                context.Response.Headers["Link"] = $"<{Endpoint}{context.Request.RawUrl!.Split('?')[0]}?cursor={cursor + TreePageSize}>; rel=\"next\"";
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(answer);
        context.Response.ContentType = "application/json";
        WriteContent(context, json);
    }

    FakeRevision? Find(bool dataset, string id, string revisionName, HttpListenerResponse response)
    {
        if (!repos.TryGetValue((dataset ? "dataset:" : "model:") + id, out var repo))
        {
            Error(response, 401, "RepoNotFound", "Repository not found");
            return null;
        }
        var revision = repo.Find(revisionName);
        if (revision is null) Error(response, 404, "RevisionNotFound", $"Invalid rev id: {revisionName}");
        return revision;
    }

    static void Error(HttpListenerResponse response, int status, string? code, string message)
    {
        response.StatusCode = status;
        if (code is not null) response.Headers["X-Error-Code"] = code;
        response.Headers["X-Error-Message"] = message;
        byte[] body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { error = message }));
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    internal void Register(FakeFile file) => storage[file.StorageId] = file;

    /// <summary>A repository with branches; <see cref="Branch"/> creates one with a fresh commit hash.</summary>
    internal sealed class FakeRepo(FakeHub hub)
    {
        readonly ConcurrentDictionary<string, FakeRevision> revisions = new();

        public FakeRevision Branch(string name) => revisions.GetOrAdd(name, _ => new FakeRevision(hub));

        public FakeRevision? Find(string name) =>
            revisions.TryGetValue(name, out var found) ? found : revisions.Values.FirstOrDefault(r => r.Commit == name);
    }

    internal sealed record SeenRequest(string Method, string Host, string Path, string? Range, string? Authorization);
}

/// <summary>Requests held by <see cref="FakeHub.HoldRequests"/>: <see cref="Arrived"/> completes when the first arrives.</summary>
internal sealed class RequestGate(Func<FakeHub.SeenRequest, bool> which, Action? onArrival) : IDisposable
{
    readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly ManualResetEventSlim open = new();

    public Task Arrived => arrived.Task;

    public bool Selects(FakeHub.SeenRequest request) => which(request);

    public void Hold()
    {
        if (arrived.TrySetResult()) onArrival?.Invoke();
        // A bound, so that a test that forgets to open the gate cannot leave a server thread waiting for ever.
        open.Wait(TimeSpan.FromMinutes(5));
    }

    public void Open() => open.Set();

    public void Dispose() => Open();
}

/// <summary>The files of one commit.</summary>
internal sealed class FakeRevision(FakeHub hub)
{
    public string Commit { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public ConcurrentDictionary<string, FakeFile> Files { get; } = new();

    public FakeFile Add(string path, byte[] content, bool lfs)
    {
        var file = new FakeFile(content, lfs);
        Files[path] = file;
        hub.Register(file);
        return file;
    }

    /// <summary>The tree API's answer for <paramref name="folder"/>: its files and sub-folders, or null when there is no such folder.</summary>
    public List<object>? Entries(string folder)
    {
        string prefix = folder.Length == 0 ? "" : folder + "/";
        var below = Files.Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (below.Count == 0) return null;
        var entries = new List<object>();
        foreach (var folderName in below.Select(f => f.Key[prefix.Length..]).Where(r => r.Contains('/')).Select(r => r.Split('/')[0]).Distinct().Order())
            entries.Add(new { type = "directory", oid = "0000000000000000000000000000000000000000", size = 0, path = prefix + folderName });
        foreach (var (path, file) in below.Where(f => !f.Key[prefix.Length..].Contains('/')).OrderBy(f => f.Key, StringComparer.Ordinal))
            entries.Add(file.Lfs
                ? new { type = "file", oid = file.GitOid, size = (long)file.Content.Length, path, lfs = new { oid = file.Sha256, size = (long)file.Content.Length, pointerSize = 134 } }
                : new { type = "file", oid = file.GitOid, size = (long)file.Content.Length, path });
        return entries;
    }
}

/// <summary>A file's bytes and the hashes the hub announces for it.</summary>
internal sealed class FakeFile(byte[] content, bool lfs)
{
    public byte[] Content { get; } = content;
    public bool Lfs { get; } = lfs;
    public string StorageId { get; } = Guid.NewGuid().ToString("N");
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>What X-Linked-Etag says; a test sets it wrong to play a corrupted download.</summary>
    public string AnnouncedSha256 { get; set; } = Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The git blob id: sha1 of "blob {length}\0" and the bytes.</summary>
    public string GitOid { get; } = Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));
}
