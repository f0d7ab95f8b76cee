using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TypedBert.Hosting;

/// <summary>
/// The meter of the classifiers registered with <see cref="TypedBertServiceCollectionExtensions"/>: models loaded
/// (<c>typedbert.hosting.model.loads</c>, by classifier and outcome; <c>typedbert.hosting.model.load.duration</c>) and predicted labels
/// (<c>typedbert.hosting.predictions</c>, by classifier and label: a drift signal). Publish it with OpenTelemetry:
/// <c>.WithMetrics(m =&gt; m.AddMeter(HostingTelemetry.MeterName))</c>.
/// </summary>
public static class HostingTelemetry
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "TypedBert.Hosting";

    static readonly Meter Meter = new(MeterName);
    static readonly Counter<long> Loads = Meter.CreateCounter<long>("typedbert.hosting.model.loads", "{load}", "Classifiers loaded (outcome=loaded) or failed to load (outcome=failed)");
    static readonly Histogram<double> LoadDuration = Meter.CreateHistogram<double>("typedbert.hosting.model.load.duration", "s", "Time to load a classifier");
    static readonly Counter<long> Predictions = Meter.CreateCounter<long>("typedbert.hosting.predictions", "{text}", "Predicted labels, by classifier");

    internal static void Loaded(string classifier, bool succeeded, double seconds)
    {
        Loads.Add(1, new TagList { { "classifier", classifier }, { "outcome", succeeded ? "loaded" : "failed" } });
        if (succeeded) LoadDuration.Record(seconds, new TagList { { "classifier", classifier } });
    }

    internal static void Predicted(string classifier, string label)
    {
        if (Predictions.Enabled) Predictions.Add(1, new TagList { { "classifier", classifier }, { "label", label } });
    }
}
