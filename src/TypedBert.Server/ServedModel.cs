using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Server.Protocol;

namespace TypedBert.Server;

/// <summary>The classifier the server was started with, loaded once from the folder in <see cref="TypedBertServerOptions.ModelPath"/>.</summary>
public sealed partial class ServedModel : IDisposable
{
    /// <summary>Loads the classifier and warms it up with one prediction; throws with the folder's name when it is not a saved classifier.</summary>
    public ServedModel(TypedBertServerOptions options, ILogger<ServedModel> logger)
        : this(options?.ModelPath!, FolderName(options?.ModelPath!), null, options!, logger)
    {
    }

    /// <summary>Loads version <paramref name="version"/> (null: not from a repository) of model <paramref name="name"/> from <paramref name="path"/>.</summary>
    internal ServedModel(string path, string name, string? version, TypedBertServerOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Version = version;
        long started = Stopwatch.GetTimestamp();
        Classifier = TextClassifier.Load(path, new PredictionSettings
        {
            BatchSize = Math.Max(new PredictionSettings().BatchSize, options.MaxBatchSize),
            Engine = options.Engine, // null: the folder's own (an exported folder's graph)
            LongText = options.LongText, // null: the model's saved strategy
        });
        try
        {
            // Checked at start-up, so that a window or stride out of range stops the server with the allowed range instead of failing each request.
            LongText = new LongTextEncoder(Classifier.Tokenizer, Classifier.LongTextSettingsFor(null));
            // Warmed here, not when the host starts: building the engine (an ONNX Runtime session written from the weights takes
            // seconds) must happen before whoever loads the model lets go of its addresses (the API template's starting server).
            Classifier.PredictBatch(["warm-up"]);
        }
        catch
        {
            Classifier.Dispose();
            throw;
        }
        Info = new ModelInfo(name, Classifier.Labels, Classifier.ProblemType.ToHuggingFace(),
            BaseModel(Classifier), Classifier.MaxLength, Thresholds(Classifier), LongTextInfo(Classifier));
        LogLoaded(logger, Info.Model, Version ?? "-", Info.Labels.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The version folder's number when served from a repository; null for a single model folder.</summary>
    internal string? Version { get; }

    /// <summary>Model and version for log scopes: every line logged while serving it names them.</summary>
    internal IReadOnlyList<KeyValuePair<string, object?>> LogScope => [new("Model", Info.Model), new("ModelVersion", Version ?? "-")];

    /// <summary>The classifier.</summary>
    public TextClassifier Classifier { get; }

    /// <summary>How the served model reads long texts; counts a request's windows before any is computed.</summary>
    public LongTextEncoder LongText { get; }

    /// <summary>What <c>GET /model</c> answers.</summary>
    public ModelInfo Info { get; }

    // Only the folder's own name leaves the server: a full path would tell callers about the machine.
    internal static string FolderName(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    static string? BaseModel(TextClassifier classifier)
    {
        if (classifier.Config.Encoder.Extra?.TryGetValue("_name_or_path", out var value) != true || value.ValueKind != JsonValueKind.String) return null;
        string name = value.GetString()!.Replace('\\', '/').TrimEnd('/');
        // A Hugging Face id ("org/model") is kept; a local folder is reduced to its last segment.
        return name.Length == 0 ? null : Path.IsPathRooted(name) || name.StartsWith('.') || name.Count(c => c == '/') > 1 ? name[(name.LastIndexOf('/') + 1)..] : name;
    }

    // The thresholds Prediction.Labels() applies: the model's own, else 0.5 for every label (see Prediction).
    static float[]? Thresholds(TextClassifier classifier) => classifier.ProblemType != ProblemType.MultiLabel ? null
        : classifier.Config.Thresholds is { } thresholds ? [.. thresholds] : [.. Enumerable.Repeat(0.5f, classifier.Labels.Count)];

    // The effective settings, resolved as prediction resolves them.
    static LongTextInfo LongTextInfo(TextClassifier classifier)
    {
        var settings = classifier.LongTextSettingsFor(null);
        return settings.Strategy switch
        {
            LongTextStrategy.SlidingWindow => new LongTextInfo("sliding_window", settings.Window, settings.Stride, LongTextNames.Name(settings.Aggregation)),
            LongTextStrategy.HeadTail => new LongTextInfo("head_tail", settings.Window, HeadTokens: settings.Head),
            _ => new LongTextInfo("truncate"),
        };
    }

    /// <inheritdoc />
    public void Dispose() => Classifier.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "loaded model {Model} version {ModelVersion} ({Labels} labels) in {Milliseconds:0} ms")]
    static partial void LogLoaded(ILogger logger, string model, string modelVersion, int labels, double milliseconds);
}
