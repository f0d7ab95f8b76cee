using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TorchSharp;
using TypedBert.Classification;

namespace TypedBert.Hosting;

/// <summary>Loads a classifier as its (validated) options say, and logs how long it took.</summary>
internal static partial class ClassifierLoader
{
    public static TextClassifier Load(string name, TypedBertClassifierOptions options, ILogger logger)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            var classifier = LoadChecked(name, options, logger, started);
            HostingTelemetry.Loaded(name, succeeded: true, Stopwatch.GetElapsedTime(started).TotalSeconds);
            return classifier;
        }
        catch
        {
            HostingTelemetry.Loaded(name, succeeded: false, Stopwatch.GetElapsedTime(started).TotalSeconds);
            throw;
        }
    }

    static TextClassifier LoadChecked(string name, TypedBertClassifierOptions options, ILogger logger, long started)
    {
        if (options.Threads is int threads) torch.set_num_threads(threads);
        var device = options.Device is null ? null : torch.device(options.Device.ToLowerInvariant());
        // Loaded with the model's own settings first, because MaxLength is capped by the tokenizer's; the copy with the options'
        // settings shares the weights, which stay alive after the first is disposed.
        using var loaded = TextClassifier.Load(options.ModelPath!, device);
        var classifier = loaded.WithSettings(loaded.Settings with
        {
            MaxLength = options.MaxLength is int maxLength ? Math.Min(maxLength, loaded.MaxLength) : loaded.Settings.MaxLength,
            BatchSize = options.BatchSize ?? loaded.BatchSize,
            Engine = options.Engine ?? loaded.Settings.Engine,
            LongText = options.LongText ?? loaded.Settings.LongText,
        });
        try
        {
            // Resolved at load, so that a window or stride out of range fails here, with the allowed range, rather than at the first prediction.
            classifier.LongTextSettingsFor(null);
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
        LogLoaded(logger, name, options.ModelPath!, classifier.Labels.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return classifier;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "TypedBert classifier {Name} loaded from {ModelPath} ({Labels} labels) in {Milliseconds:0} ms")]
    static partial void LogLoaded(ILogger logger, string name, string modelPath, int labels, double milliseconds);
}
