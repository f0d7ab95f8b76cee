using System.Runtime.CompilerServices;
using TypedBert.Classification;
using TypedBert.ZeroShot;

namespace TypedBert.Suggestions;

/// <summary>
/// The predictions and embeddings of pool texts, kept between rounds of suggestions: keyed by the model (its weights and their version,
/// and the prediction settings) and the exact text, so a second round over the same pool with the same model predicts nothing again,
/// and any change of the weights (training, a restore) starts afresh. One cache per set of weights, dropped with them.
/// </summary>
internal sealed class PoolScoreCache
{
    static readonly ConditionalWeakTable<object, PoolScoreCache> PerWeights = [];
    const int ChunkSize = 2048; // texts per PredictBatch call: long enough to group by length, short enough to report progress and stop

    readonly Lock gate = new();
    long version = -1;
    PredictionSettings? settings;
    Dictionary<string, Prediction> predictions = new(StringComparer.Ordinal);
    Dictionary<(string Text, int MaxLength), float[]> embeddings = [];

    /// <summary>The predictions of <paramref name="texts"/> by <paramref name="classifier"/>, in order; those not cached are computed in length-grouped batches.</summary>
    /// <param name="classifier">The model.</param>
    /// <param name="texts">The texts, exactly as predicted.</param>
    /// <param name="progress">Told how many of <paramref name="texts"/> are scored so far.</param>
    /// <param name="cancellationToken">Checked between chunks of the texts.</param>
    public static IReadOnlyList<Prediction> Predict(TextClassifier classifier, IReadOnlyList<string> texts, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var cache = For(classifier);
        var result = new Prediction[texts.Count];
        var missing = cache?.Missing(texts, (text, i) => cache.predictions.TryGetValue(text, out result[i]!)) ?? [.. Enumerable.Range(0, texts.Count)];
        int done = texts.Count - missing.Count;
        progress?.Report(done);
        foreach (var chunk in missing.Chunk(ChunkSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var predicted = classifier.PredictBatch([.. chunk.Select(i => texts[i])]);
            for (int j = 0; j < chunk.Length; j++) result[chunk[j]] = predicted[j];
            if (cache is not null)
                lock (cache.gate)
                    for (int j = 0; j < chunk.Length; j++) cache.predictions[texts[chunk[j]]] = predicted[j];
            progress?.Report(done += chunk.Length);
        }
        return result;
    }

    /// <summary>The body's embeddings of <paramref name="texts"/> (<see cref="TextEmbeddings"/>), in order; those not cached are computed.</summary>
    /// <exception cref="NotSupportedException">The classifier is an exported folder: it has no body to embed with.</exception>
    public static float[][] Embed(TextClassifier classifier, IReadOnlyList<string> texts, int maxLength, CancellationToken cancellationToken)
    {
        if (classifier.IsExported)
            throw new NotSupportedException("SuggestionStrategy.Diverse embeds texts with the model's body, which an exported (ONNX) folder does not hold; load the model's own folder, or use Margin");
        cancellationToken.ThrowIfCancellationRequested();
        var cache = For(classifier);
        var result = new float[texts.Count][];
        var missing = cache?.Missing(texts, (text, i) => cache.embeddings.TryGetValue((text, maxLength), out result[i]!)) ?? [.. Enumerable.Range(0, texts.Count)];
        if (missing.Count == 0) return result;
        var computed = TextEmbeddings.Of(classifier, [.. missing.Select(i => texts[i])], maxLength);
        for (int j = 0; j < missing.Count; j++) result[missing[j]] = computed[j];
        if (cache is not null)
            lock (cache.gate)
                for (int j = 0; j < missing.Count; j++) cache.embeddings[(texts[missing[j]], maxLength)] = computed[j];
        return result;
    }

    /// <summary>The positions of <paramref name="texts"/> that <paramref name="found"/> (which fills in the cached value) does not find.</summary>
    List<int> Missing(IReadOnlyList<string> texts, Func<string, int, bool> found)
    {
        var missing = new List<int>();
        lock (gate)
            for (int i = 0; i < texts.Count; i++)
                if (!found(texts[i], i)) missing.Add(i);
        return missing;
    }

    /// <summary>The cache of <paramref name="classifier"/>'s weights, emptied when they or the settings changed; null while the weights are changing (nothing is cached then).</summary>
    static PoolScoreCache? For(TextClassifier classifier)
    {
        var (identity, version, changing) = classifier.WeightsState;
        if (changing) return null;
        var cache = PerWeights.GetValue(identity, _ => new PoolScoreCache());
        lock (cache.gate)
        {
            if (cache.version != version || cache.settings != classifier.Settings)
            {
                cache.version = version;
                cache.settings = classifier.Settings;
                cache.predictions = new(StringComparer.Ordinal);
                cache.embeddings = [];
            }
        }
        return cache;
    }
}
