using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Server.Protocol;

namespace TypedBert.Server;

/// <summary>The classifier the server was started with, loaded once from the folder in <see cref="TypedBertServerOptions.ModelPath"/>.</summary>
public sealed partial class ServedModel : IDisposable
{
    /// <summary>Loads the classifier; throws with the folder's name when it is not a saved classifier.</summary>
    public ServedModel(TypedBertServerOptions options, ILogger<ServedModel> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        long started = Stopwatch.GetTimestamp();
        Classifier = TextClassifier.Load(options.ModelPath);
        Classifier.BatchSize = Math.Max(Classifier.BatchSize, options.MaxBatchSize);
        Classifier.Engine = options.Engine;
        if (options.LongText is { } longText) Classifier.LongText = longText;
        Info = new ModelInfo(FolderName(options.ModelPath), Classifier.Labels, Classifier.ProblemType.ToHuggingFace(),
            BaseModel(Classifier), Classifier.MaxLength, Thresholds(Classifier), LongTextInfo(Classifier));
        LogLoaded(logger, Info.Model, Info.Labels.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The classifier.</summary>
    public TextClassifier Classifier { get; }

    /// <summary>What <c>GET /model</c> answers.</summary>
    public ModelInfo Info { get; }

    // Only the folder's own name leaves the server: a full path would tell callers about the machine.
    static string FolderName(string path) => Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)));

    static string? BaseModel(TextClassifier classifier)
    {
        if (classifier.Model.Config.Encoder.Extra?.TryGetValue("_name_or_path", out var value) != true || value.ValueKind != JsonValueKind.String) return null;
        string name = value.GetString()!.Replace('\\', '/').TrimEnd('/');
        // A Hugging Face id ("org/model") is kept; a local folder is reduced to its last segment.
        return name.Length == 0 ? null : Path.IsPathRooted(name) || name.StartsWith('.') || name.Count(c => c == '/') > 1 ? name[(name.LastIndexOf('/') + 1)..] : name;
    }

    // The thresholds Prediction.Labels() applies: the model's own, else 0.5 for every label (see Prediction).
    static float[]? Thresholds(TextClassifier classifier) => classifier.ProblemType != ProblemType.MultiLabel ? null
        : classifier.Model.Config.Thresholds is { } thresholds ? [.. thresholds] : [.. Enumerable.Repeat(0.5f, classifier.Labels.Count)];

    // The effective window and stride, worked out as TextClassifier.SlidingWindows does.
    static LongTextInfo LongTextInfo(TextClassifier classifier)
    {
        var longText = classifier.LongText;
        if (longText.Strategy != LongTextStrategy.SlidingWindow) return new LongTextInfo("truncate");
        int window = Math.Min(longText.WindowTokens ?? classifier.MaxLength, classifier.MaxLength);
        return new LongTextInfo("sliding_window", window, longText.Stride ?? Math.Max(1, (window - 2) / 2),
            longText.Aggregation == WindowAggregation.Max ? "max" : "mean");
    }

    /// <inheritdoc />
    public void Dispose() => Classifier.Dispose();

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "loaded model {Model} ({Labels} labels) in {Milliseconds:0} ms")]
    static partial void LogLoaded(ILogger logger, string model, int labels, double milliseconds);
}
