using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace TypedBert.Hub;

/// <summary>
/// The HTTP side of the hub client: URLs in the hub's layout, the token sent to the hub's own host only, redirects followed by hand
/// (a HEAD follows relative redirects only, such as those of a renamed repository, and stops at the redirect to the storage host,
/// because the metadata headers are on that response, as in <c>huggingface_hub</c>),
/// and hub error codes turned into messages that name the repository, revision and file.
/// </summary>
internal sealed partial class HubHttp(HubOptions options)
{
    const int MaxRedirects = 10;

    static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    readonly Uri endpoint = new(options.Endpoint.TrimEnd('/') + "/");

    public HubOptions Options => options;

    /// <summary>Requests sent so far; a model found whole in the cache is recognised by none having been needed.</summary>
    public int RequestsSent => requestsSent;

    int requestsSent;

    /// <summary><c>{endpoint}/{datasets/}{id}/resolve/{revision}/{path}</c>; the revision is one escaped segment (<c>refs%2Fpr%2F1</c>).</summary>
    public Uri ResolveUrl(HubRepoId repo, string revision, string fileName) =>
        new(endpoint, $"{repo.UrlPrefix}{repo.Id}/resolve/{Uri.EscapeDataString(revision)}/{EscapePath(fileName)}");

    /// <summary><c>{endpoint}/api/{models|datasets}/{id}/{rest}</c>.</summary>
    public Uri ApiUrl(HubRepoId repo, string rest) =>
        new(endpoint, $"api/{(repo.Type == HubRepoType.Model ? "models" : "datasets")}/{repo.Id}/{rest}");

    public static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    /// <summary>The file's commit, etag and size, from a HEAD request that does not follow a redirect to another host.</summary>
    /// <returns>No metadata when the hub says the file does not exist, with the commit it looked at when the hub named it.</returns>
    public async Task<(HubFileMetadata? Metadata, string? AbsentAtCommit)> GetMetadataAsync(HubRepoId repo, string revision, string fileName, CancellationToken cancel)
    {
        var url = ResolveUrl(repo, revision, fileName);
        using var response = await SendAsync(HttpMethod.Head, url, range: null, followAbsoluteRedirects: false, repo, revision, fileName, cancel).ConfigureAwait(false);
        if (IsEntryNotFound(response))
        {
            string? commit = Header(response, "X-Repo-Commit");
            return (null, commit is not null && HubCache.IsCommitHash(commit) ? commit : null);
        }
        ThrowUnlessSuccess(response, repo, revision, fileName);

        string? repoCommit = Header(response, "X-Repo-Commit");
        if (repoCommit is null || !HubCache.IsCommitHash(repoCommit))
            throw new HubException($"{repo}@{revision}: {fileName}: the server at {endpoint} sent no commit hash (X-Repo-Commit); is it a Hugging Face hub?",
                repo, revision, fileName);
        string? linkedEtag = Header(response, "X-Linked-Etag");
        string? etag = NormalizeEtag(linkedEtag ?? Header(response, "ETag"));
        if (etag is null || !SafeEtag().IsMatch(etag))
            throw new HubException($"{repo}@{revision}: {fileName}: the server sent no usable ETag (got \"{etag}\")", repo, revision, fileName);
        long? size = long.TryParse(Header(response, "X-Linked-Size"), out long linkedSize) ? linkedSize : response.Content.Headers.ContentLength;
        var location = response.Headers.Location is { } redirect && IsRedirect(response.StatusCode) ? new Uri(url, redirect) : url;
        return (new HubFileMetadata(repoCommit, etag, size, IsLfs: linkedEtag is not null, location), null);
    }

    /// <summary>A GET that follows every redirect; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri url, RangeHeaderValue? range, HubRepoId repo, string revision, string? fileName, CancellationToken cancel)
    {
        var response = await SendAsync(HttpMethod.Get, url, range, followAbsoluteRedirects: true, repo, revision, fileName, cancel).ConfigureAwait(false);
        try
        {
            if (IsEntryNotFound(response) || response.StatusCode == HttpStatusCode.NotFound)
                throw NotFound(response, repo, revision, fileName);
            if (response.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable) ThrowUnlessSuccess(response, repo, revision, fileName);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>GET of a JSON API answer: the body and the <c>Link: &lt;url&gt;; rel="next"</c> of a paginated listing.</summary>
    public async Task<(string Body, Uri? Next)> GetJsonAsync(Uri url, HubRepoId repo, string revision, CancellationToken cancel)
    {
        using var response = await GetAsync(url, range: null, repo, revision, fileName: null, cancel).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(options.Timeout);
        string body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        Uri? next = null;
        if (response.Headers.TryGetValues("Link", out var links))
            foreach (Match m in NextLink().Matches(string.Join(",", links)))
                next = new Uri(url, m.Groups[1].Value);
        return (body, next);
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, RangeHeaderValue? range, bool followAbsoluteRedirects,
        HubRepoId repo, string revision, string? fileName, CancellationToken cancel)
    {
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("TypedBert", typeof(HubHttp).Assembly.GetName().Version?.ToString(3)));
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (range is not null) request.Headers.Range = range;
            // The token goes to the hub only; a redirect to a storage host gets no credentials.
            if (options.Token is not null && IsHub(url)) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);

            HttpResponseMessage response;
            Interlocked.Increment(ref requestsSent);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                timeout.CancelAfter(options.Timeout);
                try
                {
                    response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancel.IsCancellationRequested))
                {
                    string reason = e is OperationCanceledException ? $"no answer within {options.Timeout.TotalSeconds:0.#} s" : Scrub(e.Message);
                    throw new HubException(
                        $"{repo}@{revision}{(fileName is null ? "" : ": " + fileName)}: could not reach {url.GetLeftPart(UriPartial.Authority)} ({reason}). " +
                        "Check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only the files already in the cache",
                        repo, revision, fileName);
                }
            }
            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location) return response;
            if (!followAbsoluteRedirects && location.IsAbsoluteUri) return response;
            response.Dispose();
            if (hop == MaxRedirects)
                throw new HubException($"{repo}@{revision}: {fileName}: more than {MaxRedirects} redirects from {url}", repo, revision, fileName);
            url = new Uri(url, location);
        }
    }

    bool IsHub(Uri url) => Uri.Compare(url, endpoint, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    static bool IsRedirect(HttpStatusCode status) => (int)status is 301 or 302 or 303 or 307 or 308;

    static bool IsEntryNotFound(HttpResponseMessage response) =>
        Header(response, "X-Error-Code") == "EntryNotFound" || (response.StatusCode == HttpStatusCode.NotFound && Header(response, "X-Error-Code") is null);

    void ThrowUnlessSuccess(HttpResponseMessage response, HubRepoId repo, string revision, string? fileName)
    {
        int status = (int)response.StatusCode;
        if (status is >= 200 and < 400) return;
        string? code = Header(response, "X-Error-Code");
        if (code is "RepoNotFound" or "RevisionNotFound" or "EntryNotFound" || status == 404) throw NotFound(response, repo, revision, fileName);
        string serverMessage = Header(response, "X-Error-Message") is { } m ? $": {Scrub(m)}" : "";
        string advice = status switch
        {
            401 => options.Token is null ? " Set HF_TOKEN to an access token that may read it." : " The access token was refused; check HF_TOKEN.",
            403 => " The repository is gated or the token lacks the permission: accept its conditions on the hub and use a token with read access.",
            429 => " The hub is rate-limiting; wait and retry.",
            _ => "",
        };
        throw new HubException($"{repo}@{revision}{(fileName is null ? "" : ": " + fileName)}: the hub answered {status} {response.ReasonPhrase}{serverMessage}.{advice}",
            repo, revision, fileName);
    }

    HubNotFoundException NotFound(HttpResponseMessage response, HubRepoId repo, string revision, string? fileName)
    {
        string at = $"{repo.Id}@{revision}";
        string message = Header(response, "X-Error-Code") switch
        {
            "RepoNotFound" => $"{repo} was not found on {endpoint.GetLeftPart(UriPartial.Authority)}" +
                (options.Token is null ? " (if it is private or gated, set HF_TOKEN)" : " (or this token may not read it)"),
            "RevisionNotFound" => $"{repo} has no revision \"{revision}\" (a branch, tag or commit hash)",
            _ => fileName is null ? $"{repo}@{revision}: not found ({(int)response.StatusCode})" : $"{repo}@{revision} has no file {fileName}",
        };
        return new HubNotFoundException(message, repo, revision, fileName);
    }

    /// <summary>Server text can echo a request; the token must not reach a message even then.</summary>
    string Scrub(string text) => options.Token is { Length: > 0 } token ? text.Replace(token, "***", StringComparison.Ordinal) : text;

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault() : null;

    /// <summary><c>W/"abc"</c> → <c>abc</c>, as <c>huggingface_hub._normalize_etag</c>.</summary>
    static string? NormalizeEtag(string? etag) => etag is null ? null : (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SafeEtag();

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"?next\"?")]
    private static partial Regex NextLink();
}
