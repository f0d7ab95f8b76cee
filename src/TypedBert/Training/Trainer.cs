using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Data;
using TypedBert.Metrics;
using TypedBert.Modeling;
using TypedBert.Pretrained;
using TypedBert.Serialization;
using TypedBert.Tokenization;
using TypedBert.Training.Checkpoints;
using static TorchSharp.torch;

namespace TypedBert.Training;

/// <summary>
/// Fine-tunes a <see cref="TextClassifier"/>: AdamW (no decay on biases and LayerNorm weights), linear warm-up and decay,
/// gradient accumulation and clipping, evaluation each epoch, best-epoch restore and early stopping.
/// </summary>
public sealed class Trainer
{
    readonly TextClassifier classifier;

    /// <summary>Prepares training of <paramref name="classifier"/> with <paramref name="options"/>.</summary>
    public Trainer(TextClassifier classifier, TrainingOptions options)
    {
        options.Validate();
        if (options.ClassWeights is not null && options.ClassWeights.Count != classifier.Labels.Count)
            throw new ArgumentException($"ClassWeights has {options.ClassWeights.Count} values for {classifier.Labels.Count} labels");
        if (options.LabelSmoothingFactor > 0 && classifier.ProblemType != ProblemType.SingleLabel)
            throw new ArgumentException($"LabelSmoothingFactor applies to single-label cross-entropy; this classifier is {classifier.ProblemType}");
        this.classifier = classifier;
        Options = options;
        // Resolved here so that a window, stride or head out of range is refused before any work, with the allowed range.
        longText = LongTextSettings.Resolve(options.LongText ?? classifier.LongText, MaxLength, classifier.Tokenizer.ModelMaxLength);
    }

    readonly LongTextSettings longText;

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    SequenceClassificationModel Model => classifier.Model;
    int MaxLength => Options.MaxLength ?? classifier.MaxLength;

    /// <summary>Fine-tunes on <paramref name="train"/>, evaluating on <paramref name="eval"/> after every epoch when given.</summary>
    /// <remarks>
    /// With <see cref="TrainingOptions.CheckpointDirectory"/> set, a checkpoint is written every <see cref="TrainingOptions.SaveSteps"/>
    /// optimizer steps and after every epoch; <see cref="TrainingOptions.ResumeFromCheckpoint"/> continues such a run, with the
    /// same data and options, to the same weights as a run that was never interrupted.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the model keeps the weights reached so far.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradients stopped being finite; checkpoints written before are kept.</exception>
    public TrainingResult Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample>? eval = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new ArgumentException("no training examples", nameof(train));
        CheckTargets(train, nameof(train));
        if (eval is not null) CheckTargets(eval, nameof(eval));
        if (Options.Threads is int threads) set_num_threads(threads);
        manual_seed(Options.Seed);

        if (Options.LongText is not null) classifier.LongText = longText.ToOptions(); // read (and saved) the way it is trained
        var documents = DocumentInputs.Encode(new LongTextEncoder(classifier.Tokenizer, longText), [.. train.Select(e => e.Text)], [.. train.Select(e => e.TextPair)]);
        int inputsPerEpoch = WindowSampler.Count(documents.Document, longText.MaxWindowsPerDocument);
        int batchesPerEpoch = (inputsPerEpoch + Options.BatchSize - 1) / Options.BatchSize;
        int stepsPerEpoch = (batchesPerEpoch + Options.GradientAccumulationSteps - 1) / Options.GradientAccumulationSteps;
        int totalSteps = stepsPerEpoch * Options.Epochs;
        int warmup = Options.WarmupSteps ?? (int)Math.Ceiling(Options.WarmupRatio * totalSteps);
        var fingerprint = new RunFingerprint(RunFingerprint.Hash(train), eval is null ? null : RunFingerprint.Hash(eval), Options.Epochs,
            Options.BatchSize, Options.GradientAccumulationSteps, Options.LearningRate, warmup, totalSteps, Options.Seed, MaxLength,
            Options.GroupByLength, Options.FreezeEmbeddings, Options.FreezeLayers, Options.BFloat16MixedPrecision, longText.ToString());

        var named = Freeze();
        var trainable = named.Select(p => p.Parameter).ToList();
        using var optimizer = CreateOptimizer(named);
        using var classWeights = Options.ClassWeights is null ? null : tensor(Options.ClassWeights.ToArray()).to(classifier.Device);

        var run = new RunProgress();
        Dictionary<string, Tensor>? best = null;
        try
        {
            if (Options.ResumeFromCheckpoint is string checkpoint) best = Resume(checkpoint, fingerprint, optimizer, eval, run);
            var clock = Stopwatch.StartNew();
            var trainingClock = new Stopwatch(); // excludes evaluation, so examples/s and ETA describe training alone
            var phases = new PhaseClocks();
            TimeSpan Elapsed() => run.ElapsedBefore + clock.Elapsed;
            TimeSpan Training() => run.TrainingBefore + trainingClock.Elapsed;

            for (; run.Epoch <= Options.Epochs && !run.StoppedEarly; run.StartNextEpoch())
            {
                if (run.EpochCompleted) continue;
                Model.train();
                var random = new Random(unchecked(Options.Seed * 1_000_003 + run.Epoch)); // per epoch, so a resumed run rebuilds the same order
                // This epoch's inputs: one per document, or its windows up to the cap (drawn afresh each epoch), all documents mixed in batches.
                var chosen = WindowSampler.Select(documents.Document, longText.MaxWindowsPerDocument, random);
                var encoded = chosen.Select(i => documents.Inputs[i]).ToArray();
                var examples = chosen.Select(i => train[documents.Document[i]]).ToArray();
                var batches = Options.GroupByLength
                    ? BatchSampler.GroupedByLength([.. encoded.Select(e => e.Length)], Options.BatchSize, random)
                    : BatchSampler.Shuffled(encoded.Length, Options.BatchSize, random);
                double windowLoss = 0;
                int windowBatches = 0;
                trainingClock.Start();
                for (int b = run.BatchesDone; b < batches.Count; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    float loss = ForwardBackward(batches[b], encoded, examples, classWeights, run, phases);
                    run.EpochLossSum += loss;
                    windowLoss += loss;
                    windowBatches++;
                    run.ExamplesSeen += batches[b].Length;

                    bool lastOfEpoch = b == batches.Count - 1;
                    if ((b + 1) % Options.GradientAccumulationSteps != 0 && !lastOfEpoch) continue;
                    run.LearningRate = Options.LearningRate * Schedule(run.Step, warmup, totalSteps);
                    if (Options.MaxGradNorm > 0)
                    {
                        phases.Clipping.Start();
                        double norm = nn.utils.clip_grad_norm_(trainable, Options.MaxGradNorm);
                        phases.Clipping.Stop();
                        if (!double.IsFinite(norm)) throw Diverged($"the gradient norm became {norm}", run);
                    }
                    phases.Optimizer.Start();
                    optimizer.Step(run.LearningRate);
                    classifier.WeightsChanged();
                    ZeroGradients(trainable);
                    phases.Optimizer.Stop();
                    run.Step++;
                    run.BatchesDone = b + 1;
                    if (Options.SaveSteps is int every && run.Step % every == 0 && !lastOfEpoch)
                    {
                        phases.Checkpoints.Start();
                        SaveCheckpoint(optimizer, fingerprint, run, Elapsed(), Training());
                        phases.Checkpoints.Stop();
                    }
                    if (run.Step % Options.LoggingSteps == 0 && !lastOfEpoch)
                    {
                        progress?.Report(Report(run, totalSteps, windowLoss / windowBatches, Elapsed(), Training()));
                        windowLoss = 0;
                        windowBatches = 0;
                    }
                }

                trainingClock.Stop();
                float[][]? evalLogits = eval is null ? null : Evaluation.Logits(classifier, eval, MaxLength, longText: longText);
                var evaluation = evalLogits is null ? null : Evaluation.FromLogits(classifier, eval!, evalLogits);
                run.History.Add(new EpochRecord(run.Epoch, run.EpochLossSum / Math.Max(1, batches.Count), run.LearningRate, Elapsed().TotalSeconds, evalLogits));
                run.Summaries.Add(new EpochSummary(run.Epoch, run.EpochLossSum / Math.Max(1, batches.Count), run.LearningRate, evaluation, Elapsed()));
                bool newBest = false;
                if (evaluation is null)
                {
                    run.BestEpoch = run.Epoch;
                }
                else if (evaluation.Score(Options.MetricForBestModel) is var score && (run.BestScore is null || score > run.BestScore))
                {
                    run.BestScore = score;
                    run.BestEpoch = run.Epoch;
                    run.EpochsSinceImprovement = 0;
                    newBest = true;
                    if (Options.LoadBestModelAtEnd) best = Snapshot(best);
                }
                else if (Options.EarlyStoppingPatience is int patience && ++run.EpochsSinceImprovement >= patience)
                {
                    run.StoppedEarly = true;
                }
                run.EpochCompleted = true;
                if (Options.CheckpointDirectory is not null)
                {
                    if (newBest) run.BestCheckpoint = CheckpointStore.NameFor(run.Step);
                    phases.Checkpoints.Start();
                    SaveCheckpoint(optimizer, fingerprint, run, Elapsed(), Training());
                    phases.Checkpoints.Stop();
                }
                progress?.Report(Report(run, totalSteps, windowBatches == 0 ? run.EpochLossSum / Math.Max(1, batches.Count) : windowLoss / windowBatches, Elapsed(), Training())
                    with { Evaluation = evaluation });
            }
            if (best is not null && run.BestEpoch != run.Summaries.Count) Restore(best);
            else if (eval is not null && !Options.LoadBestModelAtEnd) run.BestEpoch = run.Summaries.Count;
            var total = Training();
            return new TrainingResult(run.Summaries, run.BestEpoch, run.StoppedEarly, run.Step, Elapsed(), run.ExamplesSeen / Math.Max(total.TotalSeconds, 1e-9))
            {
                Timings = phases.ToTimings(),
            };
        }
        finally
        {
            if (best is not null) foreach (var t in best.Values) t.Dispose();
            foreach (var parameter in Model.parameters()) parameter.requires_grad = true;
            Model.eval();
        }
    }

    /// <summary>Loads a checkpoint's weights, optimizer moments, random state and history into <paramref name="run"/>; returns the best weights when kept.</summary>
    Dictionary<string, Tensor>? Resume(string checkpoint, RunFingerprint fingerprint, AdamWOptimizer optimizer, IReadOnlyList<TrainingExample>? eval, RunProgress run)
    {
        string stateFile = Path.Combine(checkpoint, TrainerState.FileName);
        if (!File.Exists(stateFile)) throw new FileNotFoundException($"{checkpoint} is not a complete checkpoint: {TrainerState.FileName} is missing", stateFile);
        var state = TrainerState.Read(stateFile);
        var differences = state.Run.Differences(fingerprint);
        if (differences.Count > 0)
            throw new InvalidOperationException($"cannot resume from {checkpoint}: the run differs from the one that wrote it ({string.Join("; ", differences)})");
        LoadWeights(Path.Combine(checkpoint, "model.safetensors"));
        classifier.WeightsChanged();
        optimizer.Load(Path.Combine(checkpoint, CheckpointStore.OptimizerFile));
        using (var random = tensor(Convert.FromBase64String(state.RandomState), ScalarType.Byte)) set_rng_state(random);
        run.Restore(state);
        foreach (var record in state.History)
        {
            if (record.EvalLogits is not null && eval is null)
                throw new InvalidOperationException($"cannot resume from {checkpoint}: it was evaluated each epoch, but no evaluation data was given");
            var evaluation = record.EvalLogits is null ? null : Evaluation.FromLogits(classifier, eval!, record.EvalLogits);
            run.Summaries.Add(new EpochSummary(record.Epoch, record.TrainingLoss, record.LearningRate, evaluation, TimeSpan.FromSeconds(record.ElapsedSeconds)));
        }
        if (!Options.LoadBestModelAtEnd || state.BestCheckpoint is null) return null;
        string bestFolder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, state.BestCheckpoint);
        using var file = SafeTensorsFile.Open(Path.Combine(bestFolder, "model.safetensors"));
        return Model.named_parameters().ToDictionary(p => p.name, p => file.Load(p.name).to(p.parameter.device, disposeAfter: true));
    }

    void LoadWeights(string path)
    {
        using var file = SafeTensorsFile.Open(path);
        StateDict.Load(Model, file);
    }

    void SaveCheckpoint(AdamWOptimizer optimizer, RunFingerprint fingerprint, RunProgress run, TimeSpan elapsed, TimeSpan training)
    {
        string root = Options.CheckpointDirectory!;
        if (!AllFinite()) throw Diverged("a weight stopped being finite", run);
        using var random = get_rng_state();
        var state = run.ToState(fingerprint, Convert.ToBase64String(random.bytes), elapsed, training);
        CheckpointStore.Save(root, classifier, optimizer, state);
        if (Options.SaveTotalLimit is int keep) CheckpointStore.Rotate(root, keep, run.BestCheckpoint);
    }

    bool AllFinite()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Model.parameters().All(p => isfinite(p).all().item<bool>());
    }

    TrainingDivergedException Diverged(string what, RunProgress run)
    {
        string? latest = Options.CheckpointDirectory is null ? null : CheckpointStore.FindLatest(Options.CheckpointDirectory);
        return new TrainingDivergedException(what, run.Epoch, run.Step + 1, latest);
    }

    void CheckTargets(IReadOnlyList<TrainingExample> examples, string name)
    {
        int labels = classifier.Labels.Count;
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            bool ok = classifier.ProblemType switch
            {
                ProblemType.SingleLabel => e.LabelId >= 0 && e.LabelId < labels,
                _ => e.Target.Length == labels,
            };
            if (!ok) throw new ArgumentException($"{name}[{i}] does not fit a {classifier.ProblemType} head with {labels} labels", name);
        }
    }

    /// <summary>
    /// Drops the gradients, as PyTorch's <c>zero_grad(set_to_none=True)</c> does: the next backward writes fresh ones
    /// instead of adding into zeroed memory. TorchSharp's own <c>zero_grad</c> zeroes in place and leaves one undisposed
    /// handle per parameter per call (measured with <c>DisposeScopeManager.Statistics</c>).
    /// </summary>
    static void ZeroGradients(IEnumerable<Parameter> parameters)
    {
        foreach (var parameter in parameters) parameter.grad = null!;
    }

    /// <summary>Hugging Face's linear schedule with warm-up: 0 to 1 over the warm-up steps, then down to 0 at the last step.</summary>
    internal static double Schedule(int step, int warmup, int total) =>
        step < warmup ? (double)step / Math.Max(1, warmup) : Math.Max(0, (double)(total - step) / Math.Max(1, total - warmup));

    float ForwardBackward(int[] batch, EncodedText[] encoded, IReadOnlyList<TrainingExample> examples, Tensor? classWeights, RunProgress run,
        PhaseClocks phases)
    {
        using var scope = NewDisposeScope();
        phases.Forward.Start();
        var inputs = new BatchEncoding([.. batch.Select(i => encoded[i])], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
        Tensor logits;
        using (Options.BFloat16MixedPrecision ? MixedPrecision.BFloat16() : null)
            logits = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
        var loss = Model.Loss(logits, Targets(batch.Select(i => examples[i]).ToList()), classWeights, Options.LabelSmoothingFactor);
        float value = loss.item<float>();
        phases.Forward.Stop();
        if (!float.IsFinite(value)) throw Diverged($"the training loss became {value}", run);
        phases.Backward.Start();
        (loss / Options.GradientAccumulationSteps).backward();
        phases.Backward.Stop();
        return value;
    }

    Tensor Targets(IReadOnlyList<TrainingExample> examples)
    {
        if (classifier.ProblemType == ProblemType.SingleLabel)
            return tensor(examples.Select(e => (long)e.LabelId).ToArray()).to(classifier.Device);
        int labels = classifier.Labels.Count;
        return tensor(examples.SelectMany(e => e.Target).ToArray(), [examples.Count, labels]).to(classifier.Device);
    }

    /// <summary>Turns off gradients for frozen parts and returns the parameters that train.</summary>
    List<(string Name, Parameter Parameter)> Freeze()
    {
        var frozenPrefixes = Model.FrozenParameterPrefixes(Options.FreezeEmbeddings, Options.FreezeLayers);
        var trainable = new List<(string, Parameter)>();
        foreach (var (name, parameter) in Model.named_parameters())
        {
            bool frozen = frozenPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
            parameter.requires_grad = !frozen;
            if (!frozen) trainable.Add((name, parameter));
        }
        return trainable;
    }

    AdamWOptimizer CreateOptimizer(List<(string Name, Parameter Parameter)> trainable)
    {
        static bool NoDecay(string name) => name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm.weight", StringComparison.Ordinal);
        var scale = LearningRateScale();
        return new AdamWOptimizer(trainable.Select(p => (p.Name, p.Parameter, NoDecay(p.Name) ? 0 : Options.WeightDecay, scale(p.Name))),
            Options.AdamBeta1, Options.AdamBeta2, Options.AdamEpsilon);
    }

    /// <summary>Each parameter's share of the learning rate under <see cref="TrainingOptions.LayerwiseLearningRateDecay"/>.</summary>
    Func<string, double> LearningRateScale()
    {
        double decay = Options.LayerwiseLearningRateDecay;
        if (decay == 1) return _ => 1;
        var depth = Model.ParameterDepth();
        int top = Model.Config.Encoder.NumHiddenLayers; // the top layer's depth; the pooler and the head sit above it
        return name => Math.Pow(decay, Math.Max(0, top - depth(name)));
    }

    Dictionary<string, Tensor> Snapshot(Dictionary<string, Tensor>? previous)
    {
        if (previous is not null) foreach (var t in previous.Values) t.Dispose();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().MoveToOuterDisposeScope());
    }

    void Restore(Dictionary<string, Tensor> snapshot)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in Model.named_parameters()) parameter.copy_(snapshot[name]);
        classifier.WeightsChanged();
    }

    TrainingProgress Report(RunProgress run, int total, double loss, TimeSpan elapsed, TimeSpan training)
    {
        double perSecond = run.ExamplesSeen / Math.Max(training.TotalSeconds, 1e-9);
        var remaining = run.Step == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(training.TotalSeconds / run.Step * (total - run.Step));
        return new TrainingProgress(run.Step, total, run.Epoch, Options.Epochs, loss, run.LearningRate, perSecond, elapsed, remaining);
    }

    /// <summary>Loss and metrics of the classifier on <paramref name="examples"/>, without changing it.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TrainingExample> examples) =>
        Evaluation.FromLogits(classifier, examples, Evaluation.Logits(classifier, examples, MaxLength, longText: longText));
}
