using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TypedBert.Hosting;
using TypedBert.Server.Tests.Support;

namespace TypedBert.Server.Tests;

/// <summary>The hosting package's meter: one load event per classifier, and one count per predicted label, as the predictions returned.</summary>
public class HostingTelemetryTests
{
    [Fact]
    public void Loads_and_predicted_labels_are_counted_as_returned()
    {
        using var model = new SavedModel();
        var counts = new Dictionary<(string Instrument, string Tag), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == HostingTelemetry.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string tag = string.Join(",", tags.ToArray().Where(t => t.Key is "label" or "outcome").Select(t => $"{t.Key}={t.Value}"));
            lock (counts) counts[(instrument.Name, tag)] = counts.GetValueOrDefault((instrument.Name, tag)) + value;
        });
        listener.Start();

        var services = new ServiceCollection().AddLogging();
        services.AddTypedBertClassifier<Sentiment>(options => options.ModelPath = model.Path);
        using var provider = services.BuildServiceProvider();
        var classifier = provider.GetRequiredService<BertClassifier<Sentiment>>();
        var answered = classifier.PredictBatch(["good", "bad", "fine"]).Append(classifier.Predict("okay")).ToList();

        lock (counts)
        {
            Assert.Equal(1, counts[("typedbert.hosting.model.loads", "outcome=loaded")]);
            foreach (var label in answered.Distinct())
                Assert.Equal(answered.Count(a => a == label), counts[("typedbert.hosting.predictions", $"label={label}")]);
            Assert.Equal(4, counts.Where(c => c.Key.Instrument == "typedbert.hosting.predictions").Sum(c => c.Value));
        }
    }
}
