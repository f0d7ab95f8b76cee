namespace TypedBert.Server;

/// <summary>
/// What the prediction server serves and how much it accepts. The model folder is fixed here, at start:
/// nothing in a request can name a file or a path. A class, not a record: a printed record would show <see cref="ApiKey"/>.
/// </summary>
public sealed class TypedBertServerOptions
{
    /// <summary>The loopback address the server listens on unless told otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>
    /// Folder of a classifier saved by <c>TextClassifier.Save</c> (or transformers' <c>save_pretrained</c>), served at <c>/predict</c> and
    /// <c>/model</c>. Empty when only <see cref="RepositoryPath"/> is served; one of the two is required.
    /// </summary>
    public string ModelPath { get; init; } = "";

    /// <summary>
    /// A model repository: every <c>RepositoryPath/&lt;name&gt;/&lt;version&gt;/</c> folder (versions are numbers; the highest is served)
    /// is served at <c>/models/{name}/predict</c> and listed at <c>/models</c>. A new version folder, renamed into place once complete,
    /// is loaded in the background, checked, and swapped in while the old one finishes its requests. Null: no repository.
    /// </summary>
    public string? RepositoryPath { get; init; }

    /// <summary>How often the repository is scanned for new versions, besides the file-system notifications (which can be lost, on network file systems for example).</summary>
    public TimeSpan RepositoryPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Serve a new version whose labels differ from those of the version it replaces (off: such a version is refused and the old one keeps serving).</summary>
    public bool AllowLabelChange { get; init; }

    /// <summary>Addresses to listen on, separated by <c>;</c>. Port 0 picks a free port.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>When set, every endpoint except <c>/health</c> requires it in <c>X-API-Key</c> or <c>Authorization: Bearer</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Most texts in one request; more is answered with 413.</summary>
    public int MaxTextsPerRequest { get; init; } = 64;

    /// <summary>Most characters (UTF-16 code units) in one text; more is answered with 400.</summary>
    public int MaxCharsPerText { get; init; } = 10_000;

    /// <summary>Most texts the batcher hands to one <c>PredictBatch</c> call (a larger single request still runs whole).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>How long the batcher waits, after the first waiting request, for more to join its batch.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// What runs the model (libtorch, ONNX Runtime fp32 or int8; see <see cref="Classification.InferenceEngine"/>); null (the default):
    /// the folder's own, libtorch for a saved classifier and its graph's engine for a folder written by <c>typedbert export</c>.
    /// </summary>
    public Classification.InferenceEngine? Engine { get; init; }

    /// <summary>Texts longer than the model reads at once: as the model was trained (null, the default; see its <c>config.json</c>), or these settings.</summary>
    public Classification.LongTextOptions? LongText { get; init; }

    /// <summary>
    /// Most model inputs (windows, with the sliding-window strategy; one per text otherwise) one request may cost; more is answered with 413.
    /// Bounds a request's work where <see cref="MaxTextsPerRequest"/> and <see cref="MaxCharsPerText"/> bound its size.
    /// </summary>
    public int MaxWindowsPerRequest { get; init; } = 512;

    /// <summary>
    /// Serve the playground, a page at <c>/</c> to try the model in a browser (on by default). The page is static; its
    /// requests go to <c>/model</c> and <c>/predict</c>, so the API key and the limits apply to it as to any client.
    /// </summary>
    public bool Playground { get; init; } = true;

    /// <summary>
    /// The labelling page (<c>/label</c>): the labelled data file (TSV with <c>text</c> and <c>label</c> columns, the training format; created
    /// when missing) that the page appends each label to, atomically. Null (the default): no labelling page. Needs <see cref="ModelPath"/>
    /// (its labels are the page's buttons) and <see cref="LabelPoolPath"/>.
    /// </summary>
    public string? LabelDataPath { get; init; }

    /// <summary>The unlabelled texts the labelling page offers (a <c>.txt</c> file with one text per line, or TSV/CSV/JSON Lines with a <c>text</c> column).</summary>
    public string? LabelPoolPath { get; init; }

    /// <summary>Serve an interactive reference of the OpenAPI document at <c>/scalar/</c> (on by default; its files come from the assembly, no CDN).</summary>
    public bool OpenApiUi { get; init; } = true;

    /// <summary>
    /// Largest request body in bytes (413 above it); by default room for <see cref="MaxTextsPerRequest"/> texts of
    /// <see cref="MaxCharsPerText"/> characters, each escaped as <c>\uXXXX</c> in the worst case.
    /// </summary>
    public long MaxRequestBodyBytes
    {
        get => maxRequestBodyBytes ?? (long)MaxTextsPerRequest * (MaxCharsPerText * 6L + 8) + 1024;
        init => maxRequestBodyBytes = value;
    }

    long? maxRequestBodyBytes;

    /// <summary>
    /// Publish OpenTelemetry metrics and serve them to Prometheus at <c>GET /metrics</c> (on by default; behind the API key when one is
    /// set). Off: the instruments still exist (meter <c>TypedBert.Server</c>) for an application's own OpenTelemetry set-up.
    /// </summary>
    public bool Metrics { get; init; } = true;

    /// <summary>
    /// Push the metrics and the traces to an OpenTelemetry collector at this address with OTLP (off by default: null). With
    /// <see cref="OtlpProtocol"/> <c>grpc</c> the collector's gRPC port (4317 by convention); with <c>http/protobuf</c> its HTTP base
    /// address (4318), to which <c>v1/metrics</c> and <c>v1/traces</c> are added. Independent of <see cref="Metrics"/> (the Prometheus scrape).
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How <see cref="OtlpEndpoint"/> is spoken to: <c>grpc</c> (the default) or <c>http/protobuf</c>, the values of <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public string OtlpProtocol { get; init; } = "grpc";

    /// <summary>
    /// After SIGTERM (the host's <c>ApplicationStopping</c>): how long the stand-alone server (<see cref="TypedBertServer"/>) keeps answering the
    /// requests it has accepted, and the batcher's queue, before it exits anyway. It accepts no new connection meanwhile and
    /// <c>/health/ready</c> answers 503. Keep it below Kubernetes' <c>terminationGracePeriodSeconds</c> (30 s by default).
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(25);

    /// <summary>Whether a single model is served at <c>/predict</c> and <c>/model</c>.</summary>
    internal bool HasSingleModel => !string.IsNullOrWhiteSpace(ModelPath);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath) && RepositoryPath is null)
            throw new ArgumentException("ModelPath: the folder of a saved classifier is required (or RepositoryPath, a model repository)", nameof(ModelPath));
        if (!string.IsNullOrWhiteSpace(ModelPath) && !Directory.Exists(ModelPath)) throw new ArgumentException($"ModelPath: {ModelPath}: no such model folder", nameof(ModelPath));
        if (RepositoryPath is not null && !Directory.Exists(RepositoryPath))
            throw new ArgumentException($"RepositoryPath: {RepositoryPath}: no such folder (a model repository holds <name>/<version>/ folders)", nameof(RepositoryPath));
        if (RepositoryPollInterval <= TimeSpan.Zero) throw new ArgumentException($"RepositoryPollInterval: {RepositoryPollInterval} must be positive", nameof(RepositoryPollInterval));
        if (string.IsNullOrWhiteSpace(Urls)) throw new ArgumentException("Urls: at least one address is required", nameof(Urls));
        if (ApiKey is not null && ApiKey.Length == 0) throw new ArgumentException("ApiKey: an empty key would accept anyone; leave it null for no key", nameof(ApiKey));
        Positive(MaxTextsPerRequest, nameof(MaxTextsPerRequest));
        Positive(MaxCharsPerText, nameof(MaxCharsPerText));
        Positive(MaxBatchSize, nameof(MaxBatchSize));
        Positive(MaxWindowsPerRequest, nameof(MaxWindowsPerRequest));
        if (MaxBatchDelay < TimeSpan.Zero) throw new ArgumentException($"MaxBatchDelay: {MaxBatchDelay} must not be negative", nameof(MaxBatchDelay));
        if (DrainTimeout < TimeSpan.Zero) throw new ArgumentException($"DrainTimeout: {DrainTimeout} must not be negative", nameof(DrainTimeout));
        if (OtlpEndpoint is not null && (!OtlpEndpoint.IsAbsoluteUri || (OtlpEndpoint.Scheme != Uri.UriSchemeHttp && OtlpEndpoint.Scheme != Uri.UriSchemeHttps)))
            throw new ArgumentException($"OtlpEndpoint: {OtlpEndpoint} must be an absolute http:// or https:// address of an OpenTelemetry collector, e.g. http://localhost:4317", nameof(OtlpEndpoint));
        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
            throw new ArgumentException($"OtlpProtocol: \"{OtlpProtocol}\" is not an OTLP protocol; use grpc or http/protobuf", nameof(OtlpProtocol));
        if (LabelDataPath is not null || LabelPoolPath is not null) Labelling.LabellingOptionsCheck.Validate(this);
        if (MaxRequestBodyBytes < 1) throw new ArgumentException($"MaxRequestBodyBytes: {MaxRequestBodyBytes} must be at least 1", nameof(MaxRequestBodyBytes));
    }

    static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name}: {value} must be at least 1", name);
    }
}
