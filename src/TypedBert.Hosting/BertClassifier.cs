using Microsoft.Extensions.Logging;
using TypedBert.Classification;
using TypedBert.Typed;

namespace TypedBert.Hosting;

/// <summary>
/// A classifier whose labels are the <c>[BertLabels]</c> enum <typeparamref name="TEnum"/>, as the container hands it out
/// (<see cref="TypedBertServiceCollectionExtensions.AddTypedBertClassifier{TEnum}(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>).
/// The model loads on first use, once, and its labels are checked against the enum; safe to use from many threads.
/// </summary>
public sealed class BertClassifier<TEnum> : IDisposable where TEnum : struct, Enum
{
    readonly Lazy<TypedClassifier<TEnum>> typed;

    static EnumLabels<TEnum> Map => EnumLabels<TEnum>.Get();

    internal BertClassifier(TypedBertClassifierOptions options, ILogger logger)
    {
        typed = new Lazy<TypedClassifier<TEnum>>(() => Load(options, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The untyped classifier underneath (loads the model on first access).</summary>
    public TextClassifier Classifier => typed.Value.Inner;

    /// <summary>Whether the model has been loaded.</summary>
    public bool IsLoaded => typed.IsValueCreated;

    /// <summary>Label names in id order, as the model's <c>id2label</c> must list them.</summary>
    public static IReadOnlyList<string> Labels => Map.Names;

    /// <summary>
    /// The label of <paramref name="text"/>; for a <c>[Flags]</c> enum, every label whose probability reaches
    /// <paramref name="threshold"/> (the model's own thresholds when null).
    /// </summary>
    public TEnum Predict(string text, float? threshold = null) => Counted(typed.Value.Predict(text, threshold));

    /// <summary>Predicts many texts; results in input order.</summary>
    public IReadOnlyList<TEnum> PredictBatch(IReadOnlyList<string> texts, float? threshold = null)
    {
        var labels = typed.Value.PredictBatch(texts, threshold);
        foreach (var label in labels) Counted(label);
        return labels;
    }

    static TEnum Counted(TEnum label)
    {
        HostingTelemetry.Predicted(typeof(TEnum).Name, label.ToString());
        return label;
    }

    /// <summary>The probability of every label.</summary>
    public IReadOnlyDictionary<TEnum, float> PredictScores(string text) => typed.Value.PredictScoresByLabel(text);

    static TypedClassifier<TEnum> Load(TypedBertClassifierOptions options, ILogger logger) =>
        TypedClassifier<TEnum>.Wrap(ClassifierLoader.Load(typeof(TEnum).Name, options, logger), options.ModelPath!); // Wrap disposes a model that does not fit

    /// <summary>Disposes the model if it was loaded; the container calls this when it is disposed.</summary>
    public void Dispose()
    {
        IsDisposed = true;
        if (typed.IsValueCreated) typed.Value.Dispose();
    }

    internal bool IsDisposed { get; private set; }
}
