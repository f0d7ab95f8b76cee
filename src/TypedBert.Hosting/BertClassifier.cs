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
    readonly Lazy<TextClassifier> classifier;

    static LabelMap<TEnum> Map => LabelMap<TEnum>.Get();

    internal BertClassifier(TypedBertClassifierOptions options, ILogger logger)
    {
        classifier = new Lazy<TextClassifier>(() => Load(options, logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The untyped classifier underneath (loads the model on first access).</summary>
    public TextClassifier Classifier => classifier.Value;

    /// <summary>Whether the model has been loaded.</summary>
    public bool IsLoaded => classifier.IsValueCreated;

    /// <summary>Label names in id order, as the model's <c>id2label</c> must list them.</summary>
    public static IReadOnlyList<string> Labels => Map.Names;

    /// <summary>
    /// The label of <paramref name="text"/>; for a <c>[Flags]</c> enum, every label whose probability reaches
    /// <paramref name="threshold"/> (the model's own thresholds when null).
    /// </summary>
    public TEnum Predict(string text, float? threshold = null) => FromPrediction(Classifier.Predict(text), threshold);

    /// <summary>Predicts many texts; results in input order.</summary>
    public IReadOnlyList<TEnum> PredictBatch(IReadOnlyList<string> texts, float? threshold = null) =>
        [.. Classifier.PredictBatch(texts).Select(p => FromPrediction(p, threshold))];

    /// <summary>The probability of every label.</summary>
    public IReadOnlyDictionary<TEnum, float> PredictScores(string text)
    {
        var scores = Classifier.Predict(text).Scores;
        return Enumerable.Range(0, scores.Length).ToDictionary(Map.FromId, id => scores[id]);
    }

    static TEnum FromPrediction(Prediction prediction, float? threshold) => Map.IsFlags
        ? Map.FromIds(prediction.Labels(threshold).Select(Map.IdOf))
        : Map.FromId(prediction.LabelId);

    static TextClassifier Load(TypedBertClassifierOptions options, ILogger logger)
    {
        string name = typeof(TEnum).Name;
        var inner = ClassifierLoader.Load(name, options, logger);
        try
        {
            LabelMapping.Require(Map.Names, inner.Labels, name, options.ModelPath!);
            var expected = Map.IsFlags ? ProblemType.MultiLabel : ProblemType.SingleLabel;
            if (inner.ProblemType != expected)
                throw new InvalidDataException($"{options.ModelPath}: the model is {inner.ProblemType}, but {name} needs {expected}");
            return inner;
        }
        catch
        {
            inner.Dispose();
            throw;
        }
    }

    /// <summary>Disposes the model if it was loaded; the container calls this when it is disposed.</summary>
    public void Dispose()
    {
        IsDisposed = true;
        if (classifier.IsValueCreated) classifier.Value.Dispose();
    }

    internal bool IsDisposed { get; private set; }
}
