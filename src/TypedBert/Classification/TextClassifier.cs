using TorchSharp;
using TypedBert.Classification.LongText;
using TypedBert.Modeling;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Classification;

/// <summary>
/// A text classifier with its tokenizer, for any supported architecture (BERT, DistilBERT, RoBERTa, ALBERT, Longformer; chosen by
/// <c>model_type</c> in <c>config.json</c>): created from a pre-trained encoder with a new head, fine-tuned with the <c>Trainer</c>,
/// saved and loaded in the Hugging Face layout, and used for prediction.
/// Its <see cref="PredictionSettings"/> are given at load and never change, so prediction is safe to call from many threads at once
/// (not while training); <see cref="WithSettings"/> gives a classifier with other settings over the same weights.
/// A folder written by the ONNX export loads as a classifier that predicts only, with ONNX Runtime on its graph.
/// </summary>
public sealed class TextClassifier : IDisposable
{
    const string FixedAtLoad = " is fixed when the classifier is loaded, so that concurrent predictions cannot interfere: write TextClassifier.Load(path, new PredictionSettings { ";
    const string OrCopy = " = ... }) instead, or classifier.WithSettings(classifier.Settings with { ... }) for a classifier already in hand";

    readonly SharedWeights shared;
    int disposed;

    TextClassifier(SharedWeights shared, PredictionSettings settings)
    {
        settings.Validate();
        if (shared.Exported is { } exported && settings.Engine is { } engine && !exported.Offers(engine)) throw exported.NoGraphFor(engine);
        this.shared = shared;
        Settings = settings;
    }

    /// <summary>How this classifier predicts, as given at load (null values: the model's own; see the resolved <see cref="MaxLength"/>,
    /// <see cref="LongText"/> and <see cref="Engine"/>).</summary>
    public PredictionSettings Settings { get; }

    /// <summary>The network.</summary>
    /// <exception cref="InvalidOperationException">The classifier was loaded from an exported ONNX folder, which has no weights.</exception>
    public SequenceClassificationModel Model => shared.Model ?? throw shared.Exported!.PredictsOnly();

    /// <summary>The labels, problem type, pooling and encoder settings of the model.</summary>
    public SequenceClassificationConfig Config => shared.Config;

    /// <summary>Calibration: replaces the decision settings (temperature, thresholds) of every classifier sharing these weights.</summary>
    internal void Recalibrate(Func<SequenceClassificationConfig, SequenceClassificationConfig> change)
    {
        var changed = change(shared.Config);
        changed.Validate("calibration");
        shared.Config = changed;
    }

    /// <summary>
    /// Whether this classifier was loaded from a folder written by the ONNX export: it predicts with ONNX Runtime on the
    /// folder's graph and has no weights, so training, <see cref="Save"/> and export throw <see cref="InvalidOperationException"/>.
    /// </summary>
    public bool IsExported => shared.Exported is not null;

    /// <summary>The tokenizer.</summary>
    public ITextTokenizer Tokenizer => shared.Tokenizer;

    /// <summary>Where the weights live.</summary>
    public Device Device => shared.Device;

    /// <summary>Label names in id order.</summary>
    public IReadOnlyList<string> Labels => Config.Labels;

    /// <summary>What the head predicts.</summary>
    public ProblemType ProblemType => Config.ProblemType;

    /// <summary>The loss, activation and metrics of <see cref="ProblemType"/>.</summary>
    internal Problems.ProblemStrategy Problem => Problems.ProblemStrategy.For(ProblemType);

    /// <summary>Longest input, special tokens included: <see cref="PredictionSettings.MaxLength"/>, else the tokenizer's model_max_length.</summary>
    public int MaxLength
    {
        get => Settings.MaxLength ?? Tokenizer.ModelMaxLength;
        [Obsolete(nameof(MaxLength) + FixedAtLoad + nameof(MaxLength) + OrCopy, error: true)]
        set => throw Fixed(nameof(MaxLength));
    }

    /// <summary>Texts per forward pass in batch prediction.</summary>
    public int BatchSize
    {
        get => Settings.BatchSize;
        [Obsolete(nameof(BatchSize) + FixedAtLoad + nameof(BatchSize) + OrCopy, error: true)]
        set => throw Fixed(nameof(BatchSize));
    }

    /// <summary>What happens to texts longer than <see cref="MaxLength"/>: the settings' strategy, else the model's saved one, else truncation.</summary>
    public LongTextOptions LongText
    {
        get => Settings.LongText ?? shared.SavedLongText ?? new();
        [Obsolete(nameof(LongText) + FixedAtLoad + nameof(LongText) + OrCopy, error: true)]
        set => throw Fixed(nameof(LongText));
    }

    /// <summary>The number format of prediction's matmuls; <see cref="InferencePrecision.Auto"/> picks bf16 only where the CPU has a bf16 matmul unit.</summary>
    public InferencePrecision Precision
    {
        get => Settings.Precision;
        [Obsolete(nameof(Precision) + FixedAtLoad + nameof(Precision) + OrCopy, error: true)]
        set => throw Fixed(nameof(Precision));
    }

    /// <summary>
    /// What runs prediction: the settings' engine, else the automatic choice (libtorch where the CPU has a bf16 unit or for a model
    /// without an ONNX graph, else ONNX Runtime fp32: see <see cref="EngineReason"/>), or ONNX Runtime on the fp32 or int8 graph
    /// written from the current weights on first use (and again after training changes them). <see cref="Precision"/> applies to libtorch only. A classifier loaded from an
    /// exported folder runs the folder's graph: its engine is the graph's, and only the engines of the graphs the folder holds are accepted.
    /// </summary>
    public InferenceEngine Engine
    {
        get => Settings.Engine ?? shared.Exported?.DefaultEngine ?? AutomaticEngine.Engine;
        [Obsolete(nameof(Engine) + FixedAtLoad + nameof(Engine) + OrCopy, error: true)]
        set => throw Fixed(nameof(Engine));
    }

    static NotSupportedException Fixed(string name) => new(name + FixedAtLoad + name + OrCopy);

    /// <summary>Why <see cref="Engine"/> is the engine it is, in one line: the settings' choice, the exported folder's graph, or the automatic choice and its measurement.</summary>
    public string EngineReason => Settings.Engine is not null ? "named by the settings (--engine)"
        : shared.Exported is not null ? "the exported folder's graph"
        : AutomaticEngine.Reason + $"; {CpuFeatures.HideBFloat16Variable}=1 hides the bf16 unit, --engine or PredictionSettings.Engine overrides";

    (InferenceEngine Engine, string Reason) AutomaticEngine =>
        EngineChoice.Automatic(shared.Model?.Family.OnnxGraph is not null, Device.type == DeviceType.CPU, CpuFeatures.HasBFloat16Matmul);

    /// <summary>The engine of one prediction call: the automatic choice falls back to libtorch while the weights change (evaluation during training).</summary>
    InferenceEngine EngineForThisCall => Settings.Engine is null && shared.Exported is null && shared.IsUpdatingWeights ? InferenceEngine.Torch : Engine;

    /// <summary>
    /// A classifier over the same weights (and tokenizer, and caches) that predicts with <paramref name="settings"/>; this one keeps its
    /// own. The weights are released when the last classifier that shares them is disposed, so dispose each.
    /// </summary>
    /// <exception cref="InvalidOperationException">An exported folder has no graph for <paramref name="settings"/>' engine; the message says which it has.</exception>
    public TextClassifier WithSettings(PredictionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        var copy = new TextClassifier(shared, settings); // checks the settings before taking a reference
        shared.AddReference();
        return copy;
    }

    /// <summary>What <see cref="Precision"/> resolves to on this machine and device: never <see cref="InferencePrecision.Auto"/>.</summary>
    public InferencePrecision EffectivePrecision => Resolve(Precision, Device, CpuFeatures.HasBFloat16Matmul);

    /// <summary>
    /// What <paramref name="requested"/> means on <paramref name="device"/>: <see cref="InferencePrecision.Auto"/> becomes bf16 on a CPU
    /// with a bf16 matmul unit (AMX or AVX512-BF16), else fp32: without one, libtorch emulates bf16 and it runs slower than fp32.
    /// </summary>
    public static InferencePrecision Resolve(InferencePrecision requested, Device device, bool cpuHasBFloat16Matmul)
    {
        ArgumentNullException.ThrowIfNull(device);
        return requested switch
        {
            InferencePrecision.Auto => device.type == DeviceType.CPU && cpuHasBFloat16Matmul ? InferencePrecision.BFloat16 : InferencePrecision.Float32,
            InferencePrecision.Float32 or InferencePrecision.BFloat16 => requested,
            _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "not an InferencePrecision"),
        };
    }

    /// <summary>
    /// A pre-trained encoder with a new, randomly initialised head for <paramref name="labels"/>.
    /// </summary>
    /// <param name="nameOrPath">An embedded model name (<c>minilm-l6-uncased</c>), a Hugging Face model folder, or a hub id
    /// (<c>bert-base-uncased</c>, <c>org/name@revision</c>; see <see cref="PretrainedEncoder.ResolveDirectory"/>).</param>
    /// <param name="labels">Label names in id order (regression: output names).</param>
    /// <param name="problemType">Single-label, multi-label or regression.</param>
    /// <param name="pooling">How token vectors become one vector (see <see cref="PoolingStrategy"/>); when null, what the embedded
    /// model's catalogue entry recommends, else <see cref="PoolingStrategy.Pooler"/>.</param>
    /// <param name="device">CPU when null.</param>
    /// <param name="seed">Seeds the head's initialisation.</param>
    public static TextClassifier FromPretrained(string nameOrPath, IReadOnlyList<string> labels, ProblemType problemType = ProblemType.SingleLabel,
        PoolingStrategy? pooling = null, Device? device = null, long seed = 42)
    {
        pooling ??= EmbeddedModels.Find(nameOrPath)?.RecommendedPooling ?? PoolingStrategy.Pooler;
        string directory = PretrainedEncoder.ResolveDirectory(nameOrPath);
        var encoderConfig = ModelFiles.LoadEncoderConfig(directory);
        var config = new SequenceClassificationConfig
        {
            Encoder = SequenceClassificationConfig.WithoutHeadFields(encoderConfig),
            Labels = labels,
            ProblemType = problemType,
            Pooling = pooling.Value,
        };
        manual_seed(seed);
        var model = SequenceClassificationModel.Create(config);
        try
        {
            using (var weights = SafeTensorsFile.Open(ModelFiles.RequireSafetensors(directory)))
            {
                string prefix = StateDict.EncoderPrefix(weights, model.Family.EncoderPrefix);
                // The encoder comes from the checkpoint; a pooler the checkpoint lacks starts fresh, as in transformers.
                static bool IsPooler(string name) => name.StartsWith("pooler.", StringComparison.Ordinal);
                StateDict.Load((nn.Module)model.Encoder, weights, prefix, mayBeMissing: IsPooler, mayBeUnused: IsPooler);
            }
            return Place(model, model.Config, ModelFiles.LoadTextTokenizer(directory, encoderConfig), device, new PredictionSettings());
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <see cref="FromPretrained"/> with a hub download that <paramref name="cancel"/> stops; reading the weights is local and runs
    /// synchronously once the files are on disk.
    /// </summary>
    public static async Task<TextClassifier> FromPretrainedAsync(string nameOrPath, IReadOnlyList<string> labels,
        ProblemType problemType = ProblemType.SingleLabel, PoolingStrategy? pooling = null, Device? device = null, long seed = 42,
        CancellationToken cancel = default)
    {
        // The pooling default depends on the name (an embedded model's recommendation), which the resolved folder no longer carries.
        pooling ??= EmbeddedModels.Find(nameOrPath)?.RecommendedPooling ?? PoolingStrategy.Pooler;
        string directory = await PretrainedEncoder.ResolveDirectoryAsync(nameOrPath, cancel).ConfigureAwait(false);
        cancel.ThrowIfCancellationRequested();
        return FromPretrained(directory, labels, problemType, pooling, device, seed);
    }

    /// <summary>Loads a classifier saved by <see cref="Save"/> or by transformers' <c>save_pretrained</c>, with the default settings.</summary>
    public static TextClassifier Load(string directory, Device? device = null) => Load(directory, new PredictionSettings(), device);

    /// <summary>
    /// Loads a classifier saved by <see cref="Save"/> or by transformers' <c>save_pretrained</c>, or a folder written by the ONNX export
    /// (prediction only, on the CPU), to predict with <paramref name="settings"/> for as long as it lives.
    /// </summary>
    /// <exception cref="InvalidOperationException">An exported folder has no graph for the settings' engine; the message says which it has.</exception>
    public static TextClassifier Load(string directory, PredictionSettings settings, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        if (!Directory.Exists(directory))
        {
            string? previous = AtomicDirectory.FindInterruptedPrevious(directory);
            throw new DirectoryNotFoundException(previous is null
                ? $"{directory}: no such model folder"
                : $"{directory}: no such model folder; a save was interrupted and the previous model is intact in {previous}");
        }
        var config = SequenceClassificationConfig.Load(ModelFiles.RequireConfig(directory));
        if (!File.Exists(Path.Combine(directory, "model.safetensors")) && InferenceBackends.Provider.OpenExported(directory, get_num_threads()) is { } exported)
            return LoadExported(directory, exported, config, settings, device);
        var model = SequenceClassificationModel.Create(config);
        try
        {
            using (var weights = SafeTensorsFile.Open(ModelFiles.RequireSafetensors(directory)))
            {
                if (!weights.Tensors.Keys.Any(k => k.StartsWith("classifier.", StringComparison.Ordinal)))
                    throw new InvalidDataException($"{weights.Path}: no classifier.weight; this is an encoder without a classification head (use FromPretrained)");
                StateDict.Load(model, weights);
            }
            // The config carries the long-text strategy the model was trained with, so every caller reads a long text the same way unless its settings name another.
            return Place(model, config, ModelFiles.LoadTextTokenizer(directory, config.Encoder), device, settings);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A prediction-only classifier over the graphs of an exported folder, on the CPU; disposes <paramref name="exported"/> on failure.</summary>
    static TextClassifier LoadExported(string directory, IExportedGraphs exported, SequenceClassificationConfig config, PredictionSettings settings, Device? device)
    {
        try
        {
            if (device is not null && device.type != DeviceType.CPU)
                throw new NotSupportedException($"{directory}: an exported ONNX folder runs on the CPU with ONNX Runtime; to run on {device.type}, load the classifier folder with model.safetensors it was exported from");
            return new TextClassifier(new SharedWeights(null, exported, config, ModelFiles.LoadTextTokenizer(directory, config.Encoder), CPU), settings);
        }
        catch
        {
            exported.Dispose();
            throw;
        }
    }

    static TextClassifier Place(SequenceClassificationModel model, SequenceClassificationConfig config, ITextTokenizer tokenizer, Device? device, PredictionSettings settings)
    {
        var target = device ?? CPU;
        if (target.type != DeviceType.CPU) model.to(target);
        model.eval();
        return new TextClassifier(new SharedWeights(model, null, config, tokenizer, target), settings);
    }

    /// <summary>
    /// Writes the Hugging Face layout (config.json, model.safetensors, the tokenizer's files — vocab.txt, vocab.json and merges.txt,
    /// or spiece.model — tokenizer_config.json, special_tokens_map.json).
    /// The folder is replaced as a whole: a crash mid-save leaves the previous model where it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">The classifier was loaded from an exported ONNX folder, which has no weights to save.</exception>
    public void Save(string directory)
    {
        if (shared.Exported is { } exported) throw exported.PredictsOnly();
        AtomicDirectory.Write(directory, WriteFiles);
    }

    /// <summary>Writes the model's files into <paramref name="folder"/>, which the caller makes atomic.</summary>
    internal void WriteFiles(string folder)
    {
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), SavedConfig().ToJson());
        SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"), StateDict.Named(Model),
            new Dictionary<string, string> { ["written_by"] = "TypedBert" });
        Tokenizer.Save(folder);
    }

    /// <summary>
    /// The config to save: the model's, plus <see cref="LongText"/> when it is not the default truncation, resolved so that a loader
    /// reads the same window whatever its own maximum length (a default truncation is saved as nothing, as before).
    /// </summary>
    internal SequenceClassificationConfig SavedConfig() =>
        LongText == new LongTextOptions() ? Config with { LongText = null } : Config with { LongText = LongTextSettingsFor(null).ToOptions() };

    /// <summary>Predicts one text (or text pair).</summary>
    public Prediction Predict(string text, string? pair = null) => PredictBatch([text], pair is null ? null : [pair])[0];

    /// <summary>
    /// Predicts many texts: they are sorted by length and padded per batch internally, and the results come back in input order.
    /// Long texts are read as <see cref="LongText"/> says; the windows of all texts share forward passes.
    /// </summary>
    public IReadOnlyList<Prediction> PredictBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (pairs is not null && pairs.Count != texts.Count) throw new ArgumentException($"{texts.Count} texts but {pairs.Count} pair texts", nameof(pairs));
        var settings = LongTextSettingsFor(null);
        var documents = DocumentInputs.Encode(new LongTextEncoder(Tokenizer, settings), texts, pairs);
        var grouped = documents.Group(ComputeLogits(documents.Inputs));
        var predictions = new Prediction[texts.Count];
        for (int i = 0; i < grouped.Length; i++)
        {
            float[] combined = WindowAggregator.Aggregate(grouped[i], settings.Aggregation, ProblemType);
            float[] scored = Config.Temperature is float t ? [.. combined.Select(l => l / t)] : combined;   // calibrated (typedbert calibrate): every engine passes here
            predictions[i] = new Prediction(ProblemType, Labels, combined, Problem.Activate(scored), Config.Thresholds, grouped[i].Count);
        }
        return predictions;
    }

    /// <summary>
    /// <see cref="LongText"/> with its defaults worked out for this model: the window is <paramref name="maxLength"/> (else
    /// <see cref="MaxLength"/>) unless set, and every value is checked against the model's positions.
    /// </summary>
    /// <exception cref="ArgumentException">A value is out of range; the message gives the allowed range.</exception>
    public LongTextSettings LongTextSettingsFor(int? maxLength) => LongTextSettings.Resolve(LongText, maxLength ?? MaxLength, Tokenizer.ModelMaxLength);

    /// <summary>The windows of a long text: [CLS] chunk [SEP] (RoBERTa: &lt;s&gt; chunk &lt;/s&gt;), chunks <see cref="LongTextOptions.Stride"/> tokens apart.</summary>
    internal IReadOnlyList<EncodedText> SlidingWindows(string text) =>
        new LongTextEncoder(Tokenizer, LongTextSettingsFor(null) with { Strategy = LongTextStrategy.SlidingWindow }).Encode(text);

    /// <summary>Logits of each encoded input, batched by length (see <see cref="LengthBatches"/>); one dispose scope per batch.</summary>
    /// <param name="items">Encoded inputs.</param>
    /// <param name="done">Told the number of inputs computed so far after each batch.</param>
    internal float[][] ComputeLogits(IReadOnlyList<EncodedText> items, Action<int>? done = null)
    {
        var result = new float[items.Count][];
        var batches = LengthBatches.Of([.. items.Select(i => i.Length)], BatchSize);
        int computed = 0;
        var engine = EngineForThisCall;
        if (engine != InferenceEngine.Torch)
        {
            bool uncached = shared.IsUpdatingWeights;
            var backend = uncached ? CreateBackend(engine) : shared.Backend(engine, () => CreateBackend(engine));
            try
            {
                foreach (var indexes in batches)
                {
                    var rows = backend.Run(new BatchEncoding([.. indexes.Select(i => items[i])], Tokenizer.PadTokenId));
                    for (int row = 0; row < indexes.Length; row++) result[indexes[row]] = rows[row];
                    done?.Invoke(computed += indexes.Length);
                }
            }
            finally
            {
                if (uncached) backend.Dispose();
            }
            return result;
        }
        using var inference = inference_mode();
        bool bf16 = EffectivePrecision == InferencePrecision.BFloat16;
        using var ownCopies = bf16 && shared.IsUpdatingWeights ? new BFloat16Weights(Model) : null; // this call's alone: the next step changes the weights
        using var precision = bf16 ? MixedPrecision.BFloat16(ownCopies ?? shared.BFloat16Copies()) : null;
        foreach (var indexes in batches)
        {
            using var scope = NewDisposeScope();
            var batch = new BatchEncoding([.. indexes.Select(i => items[i])], Tokenizer.PadTokenId);
            var inputs = batch.ToTensors(Device);
            var logits = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds).to(ScalarType.Float32).cpu();
            float[] flat = logits.data<float>().ToArray();
            int labels = (int)logits.shape[1];
            for (int row = 0; row < indexes.Length; row++) result[indexes[row]] = flat[(row * labels)..((row + 1) * labels)];
            done?.Invoke(computed += indexes.Length);
        }
        return result;
    }

    /// <summary>A new backend of <paramref name="engine"/>: on a graph written from the current weights, or on an exported folder's graph.</summary>
    IInferenceBackend CreateBackend(InferenceEngine engine)
    {
        if (shared.Exported is { } exported) return exported.Open(engine, get_num_threads());
        if (Device.type != DeviceType.CPU)
            throw new NotSupportedException($"the {engine} engine runs on the CPU; this classifier's weights are on {Device.type}: use InferenceEngine.Torch");
        return InferenceBackends.Provider.FromWeights(this, engine, get_num_threads());
    }

    /// <summary>
    /// The long-text strategy the model is trained with, which it saves and predicts with unless the settings name another; set by the
    /// trainer when its options name one.
    /// </summary>
    internal void TrainedWith(LongTextOptions longText) => shared.SavedLongText = longText;

    /// <summary>
    /// Declares that the weights are about to change, until the returned scope is disposed: the bf16 copies and the ONNX Runtime
    /// sessions are dropped now and again at the end, and prediction in between (evaluation during training) builds them per call
    /// instead of caching them. Whatever changes the weights (the trainer, a resume, a restore of the best epoch) opens one scope
    /// around all of it, so no single change needs to remember to drop the caches.
    /// </summary>
    internal IDisposable UpdatingWeights() => shared.UpdatingWeights();

    /// <summary>
    /// Who holds these weights (shared by <see cref="WithSettings"/> copies), their version (it changes whenever they may have changed), and
    /// whether they are changing now: what a cache of predictions is keyed by (Suggestions' pool scores).
    /// </summary>
    internal (object Identity, long Version, bool Changing) WeightsState => (shared, shared.Version, shared.IsUpdatingWeights);

    /// <summary>Releases this classifier's hold on the weights; the last of the classifiers that share them (<see cref="WithSettings"/>) frees them.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) shared.Release();
    }
}
