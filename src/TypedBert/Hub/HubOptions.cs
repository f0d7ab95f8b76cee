namespace TypedBert.Hub;

/// <summary>
/// Where and how the Hugging Face hub client downloads. Every default comes from the environment variables Python's
/// <c>huggingface_hub</c> reads, so both share one cache; set a property to override its variable.
/// </summary>
/// <remarks>Change a copy with <c>with</c>: <c>HubOptions.FromEnvironment() with { Offline = true }</c>.
/// <see cref="ToString"/> is written by hand so that the token never reaches a log.</remarks>
public sealed record HubOptions
{
    /// <summary>The hub's public address.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The hub: <c>$HF_ENDPOINT</c>, else <see cref="DefaultEndpoint"/>.</summary>
    public string Endpoint { get; init; } = NonEmpty("HF_ENDPOINT")?.TrimEnd('/') ?? DefaultEndpoint;

    /// <summary>
    /// The cache root holding <c>models--org--name</c> and <c>datasets--org--name</c> folders:
    /// <c>$HF_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c>, else <c>~/.cache/huggingface/hub</c>.
    /// </summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory();

    /// <summary>
    /// Access token for private and gated repositories, sent as <c>Authorization: Bearer</c> to the hub only (never to another host a
    /// download is redirected to) and never written to a message: <c>$HF_TOKEN</c>, else the file <c>$HF_TOKEN_PATH</c> or
    /// <c>$HF_HOME/token</c> that <c>huggingface-cli login</c> writes.
    /// </summary>
    public string? Token { get; init; } = DefaultToken();

    /// <summary>Use the cache only and never open a connection: <c>$HF_HUB_OFFLINE</c> (or <c>$TRANSFORMERS_OFFLINE</c>) set to 1, true, yes or on.</summary>
    public bool Offline { get; init; } = IsTrue(NonEmpty("HF_HUB_OFFLINE") ?? NonEmpty("TRANSFORMERS_OFFLINE"));

    /// <summary>
    /// Ask the hub whether a branch such as <c>main</c> moved even when the cache already holds every file of the commit it pointed to.
    /// False by default: a model that is in the cache loads without any request (Python's <c>huggingface_hub</c> asks every time).
    /// </summary>
    public bool CheckForUpdates { get; init; }

    /// <summary>
    /// Download <c>pytorch_model.bin</c> when a repository has no safetensors weights. Off by default, because unpickling such a file can
    /// run code. TypedBert still does not read these files (it has no safe, restricted pickle reader and never executes anything from a
    /// model file): the option only puts the file into the cache, for example to convert it to safetensors with Python.
    /// </summary>
    public bool AllowPickleWeights { get; init; }

    /// <summary>How long a connection or one read may stall before the download gives up (Python's default is 10 s too).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Receives bytes done and total while a file downloads.</summary>
    public IProgress<HubDownloadProgress>? Progress { get; init; }

    /// <summary>Options from the environment variables that <c>huggingface_hub</c> reads (the same as <c>new HubOptions()</c>).</summary>
    public static HubOptions FromEnvironment() => new();

    /// <summary>Shows every setting except the token, which is only said to be present or not.</summary>
    public override string ToString() =>
        $"Endpoint = {Endpoint}, CacheDirectory = {CacheDirectory}, Token = {(Token is null ? "none" : "set")}, Offline = {Offline}";

    static string HfHome() =>
        NonEmpty("HF_HOME") ?? Path.Combine(NonEmpty("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "huggingface");

    static string DefaultCacheDirectory() => NonEmpty("HF_HUB_CACHE") ?? NonEmpty("HUGGINGFACE_HUB_CACHE") ?? Path.Combine(HfHome(), "hub");

    static string? DefaultToken()
    {
        string? token = NonEmpty("HF_TOKEN") ?? NonEmpty("HUGGING_FACE_HUB_TOKEN");
        if (token is not null) return token.Trim();
        string path = NonEmpty("HF_TOKEN_PATH") ?? Path.Combine(HfHome(), "token");
        if (!File.Exists(path)) return null;
        string stored = File.ReadAllText(path).Trim();
        return stored.Length > 0 ? stored : null;
    }

    static string? NonEmpty(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    static bool IsTrue(string? value) => value?.Trim().ToUpperInvariant() is "1" or "TRUE" or "YES" or "ON";
}
