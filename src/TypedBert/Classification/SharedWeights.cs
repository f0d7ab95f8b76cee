using TypedBert.Modeling;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Classification;

/// <summary>
/// What every <see cref="TextClassifier"/> made from one load shares: the network (or an exported folder's graphs), the tokenizer, the
/// caches built from the weights (bf16 copies, ONNX Runtime sessions), and the long-text strategy the model was trained with. Each
/// classifier holds one reference; the last to be disposed releases it all.
/// </summary>
internal sealed class SharedWeights
{
    readonly Lock bf16Lock = new();
    BFloat16Weights? bf16Weights;
    readonly Lock backendLock = new();
    readonly Dictionary<InferenceEngine, IInferenceBackend> backends = [];
    int weightUpdates; // open UpdatingWeights scopes: while any is open, prediction caches nothing
    int references = 1;
    long version; // counts weight changes, so that caches of predictions (suggestions' pool scores) know when theirs are stale

    public SharedWeights(SequenceClassificationModel? model, IExportedGraphs? exported, SequenceClassificationConfig config, ITextTokenizer tokenizer, Device device)
    {
        Model = model;
        Exported = exported;
        Config = config;
        Tokenizer = tokenizer;
        Device = device;
        SavedLongText = config.LongText;
    }

    /// <summary>The network; null for an exported folder.</summary>
    public SequenceClassificationModel? Model { get; }

    /// <summary>The graphs of an exported folder; null for a classifier with weights.</summary>
    public IExportedGraphs? Exported { get; }

    /// <summary>The model's settings; replaced whole (one reference write, so a prediction reads one or the other) by calibration.</summary>
    public SequenceClassificationConfig Config { get; set; }

    public ITextTokenizer Tokenizer { get; }

    public Device Device { get; }

    /// <summary>
    /// The long-text strategy of the model: read from config.json at load, set by the trainer when it trains with one; prediction
    /// uses it unless its settings name another.
    /// </summary>
    public LongTextOptions? SavedLongText { get; set; }

    public bool IsUpdatingWeights => Volatile.Read(ref weightUpdates) > 0;

    /// <summary>Changes whenever the weights may have changed (an update scope opened or closed): the same version, the same predictions.</summary>
    public long Version => Interlocked.Read(ref version);

    /// <summary>One more classifier holds these weights.</summary>
    public void AddReference()
    {
        if (Interlocked.Increment(ref references) <= 1) throw new ObjectDisposedException(nameof(TextClassifier));
    }

    /// <summary>One classifier less; the last releases the network, the graphs and the caches.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref references) != 0) return;
        WeightsChanged();
        Model?.Dispose();
        Exported?.Dispose();
    }

    /// <summary>The bf16 copies of the Linear weights, taken on first use after the weights last changed.</summary>
    public BFloat16Weights BFloat16Copies()
    {
        lock (bf16Lock) return bf16Weights ??= new BFloat16Weights(Model!);
    }

    /// <summary>The backend of <paramref name="engine"/>, made by <paramref name="create"/> on first use after the weights last changed.</summary>
    public IInferenceBackend Backend(InferenceEngine engine, Func<IInferenceBackend> create)
    {
        lock (backendLock)
        {
            if (backends.TryGetValue(engine, out var backend)) return backend;
            return backends[engine] = create();
        }
    }

    /// <summary>Opens a weight-update scope (see <see cref="TextClassifier.UpdatingWeights"/>).</summary>
    public IDisposable UpdatingWeights()
    {
        Interlocked.Increment(ref weightUpdates);
        WeightsChanged();
        return new WeightUpdateScope(this);
    }

    sealed class WeightUpdateScope(SharedWeights owner) : IDisposable
    {
        bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            owner.WeightsChanged();
            Interlocked.Decrement(ref owner.weightUpdates);
        }
    }

    /// <summary>Drops the bf16 copies and the ONNX Runtime sessions.</summary>
    void WeightsChanged()
    {
        Interlocked.Increment(ref version);
        lock (bf16Lock)
        {
            bf16Weights?.Dispose();
            bf16Weights = null;
        }
        lock (backendLock)
        {
            foreach (var backend in backends.Values) backend.Dispose();
            backends.Clear();
        }
    }
}
