using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Classification;
using TypedBert.Classification.LongText;
using TypedBert.Data;
using TypedBert.Modeling;
using TypedBert.Tokenization;
using TypedBert.Training.Callbacks;
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
    /// <exception cref="ArgumentException">With <see cref="TrainingOptions.Calibrate"/>: no evaluation data, or data calibration refuses (before training).</exception>
    public TrainingResult Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample>? eval = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (Options.Calibrate) CalibrationAfterTraining.Check(classifier, eval);
        var result = TrainWeights(train, eval, progress, cancellationToken);
        return Options.Calibrate ? CalibrationAfterTraining.Apply(classifier, eval!, result) : result;
    }

    TrainingResult TrainWeights(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample>? eval,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (train.Count == 0) throw new ArgumentException("no training examples", nameof(train));
        CheckTargets(train, nameof(train));
        if (eval is not null) CheckTargets(eval, nameof(eval));
        if (Options.Threads is int threads) set_num_threads(threads);
        manual_seed(Options.Seed);

        if (Options.LongText is not null) classifier.TrainedWith(longText.ToOptions()); // read (and saved) the way it is trained
        var documents = DocumentInputs.Encode(new LongTextEncoder(classifier.Tokenizer, longText), [.. train.Select(e => e.Text)], [.. train.Select(e => e.TextPair)]);
        int inputsPerEpoch = WindowSampler.Count(documents.Document, longText.MaxWindowsPerDocument);
        int batchesPerEpoch = (inputsPerEpoch + Options.BatchSize - 1) / Options.BatchSize;
        int stepsPerEpoch = (batchesPerEpoch + Options.GradientAccumulationSteps - 1) / Options.GradientAccumulationSteps;
        int totalSteps = stepsPerEpoch * Options.Epochs;
        int warmup = Options.WarmupStepsOf(totalSteps);
        var fingerprint = new RunFingerprint(RunFingerprint.Hash(train), eval is null ? null : RunFingerprint.Hash(eval), Options.Epochs,
            Options.BatchSize, Options.GradientAccumulationSteps, Options.LearningRate, warmup, totalSteps, Options.Seed, MaxLength,
            Options.GroupByLength, Options.FreezeEmbeddings, Options.FreezeLayers, Options.BFloat16MixedPrecision, longText.ToString(),
            WeightAveraging.Describe(Options), train.Any(e => e.SoftTarget is not null) ? Options.SoftTargetLoss.ToString() : null);

        var named = Freeze();
        var trainable = named.Select(p => p.Parameter).ToList();
        using var optimizer = CreateOptimizer(named);
        using var classWeights = Options.ClassWeights is null ? null : tensor(Options.ClassWeights.ToArray()).to(classifier.Device);
        // One scope for every change below (steps, resume, best-epoch restore): the classifier drops its bf16 copies and ONNX session.
        using var updating = classifier.UpdatingWeights();

        var context = new TrainingContext(classifier, Options, optimizer, fingerprint, eval, totalSteps);
        var callbacks = new CallbackHandler(Callbacks(progress));
        context.Callbacks = callbacks.Callbacks;
        var run = context.Run;
        try
        {
            if (Options.ResumeFromCheckpoint is string checkpoint) Checkpointing.Resume(context, checkpoint);
            callbacks.Raise((c, _) => c.OnTrainBegin(context));
            context.StartClock();
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
                callbacks.Raise((c, _) => c.OnEpochBegin(context));
                context.StartTrainingClock();
                for (int b = run.BatchesDone; b < batches.Count; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    float loss = ForwardBackward(batches[b], encoded, examples, classWeights, context);
                    run.EpochLossSum += loss;
                    run.ExamplesSeen += batches[b].Length;
                    callbacks.Raise((c, _) => c.OnBatchEnd(context, loss));

                    bool lastOfEpoch = b == batches.Count - 1;
                    if ((b + 1) % Options.GradientAccumulationSteps != 0 && !lastOfEpoch) continue;
                    Step(context, trainable, warmup, totalSteps);
                    run.BatchesDone = b + 1;
                    callbacks.Raise((c, control) => c.OnStepEnd(context, control, lastOfEpoch));
                    callbacks.Act(context, epoch: null);
                }

                context.StopTrainingClock();
                callbacks.Raise((c, _) => c.OnEpochTrainingEnd(context));
                float[][]? evalLogits = eval is null ? null : Evaluation.Logits(classifier, eval, MaxLength, longText: longText);
                var evaluation = evalLogits is null ? null : Evaluation.FromLogits(classifier, eval!, evalLogits);
                double epochLoss = run.EpochLossSum / Math.Max(1, batches.Count);
                run.History.Add(new EpochRecord(run.Epoch, epochLoss, run.LearningRate, context.Elapsed.TotalSeconds, evalLogits));
                run.Summaries.Add(new EpochSummary(run.Epoch, epochLoss, run.LearningRate, evaluation, context.Elapsed));
                run.EpochCompleted = true;
                var end = new EpochEnd(batches.Count, evaluation);
                // Judged first by every callback, then acted on: a decision at the evaluation is there for all of them at the end.
                callbacks.Raise((c, control) => c.OnEvaluate(context, control, evaluation));
                callbacks.Raise((c, control) => c.OnEpochEnd(context, control, end));
                callbacks.Act(context, end);
            }
            callbacks.Raise((c, _) => c.OnTrainEnd(context));
            var total = context.Training;
            return new TrainingResult(run.Summaries, run.BestEpoch, run.StoppedEarly, run.Step, context.Elapsed, run.ExamplesSeen / Math.Max(total.TotalSeconds, 1e-9))
            {
                Timings = context.Phases.ToTimings(),
            };
        }
        finally
        {
            callbacks.Raise((c, _) => c.OnCleanup(context));
            foreach (var parameter in Model.parameters()) parameter.requires_grad = true;
            Model.eval();
        }
    }

    /// <summary>
    /// The policies around the loop, in the order they see each event; they decide through the <see cref="TrainerControl"/>, and the
    /// loop acts once all have seen the event (<see cref="CallbackHandler.Act"/>), so the order matters only for the weight average, which is updated
    /// before anything else sees the step.
    /// </summary>
    List<ITrainingCallback> Callbacks(IProgress<TrainingProgress>? progress) =>
    [
        .. WeightAveraging.For(Options) is { } averaging ? [averaging] : Array.Empty<ITrainingCallback>(),
        new BestModelTracking(), new EarlyStopping(), new CheckpointAndReportSchedule(), new ProgressReporting(progress), .. AdditionalCallbacks,
    ];

    /// <summary>
    /// Policies that run after the standard ones at every event, for trainers built on this loop inside the library (they read the
    /// epoch's judgement and may stop the run through the control); empty for a plain <see cref="Trainer"/>.
    /// </summary>
    internal List<ITrainingCallback> AdditionalCallbacks { get; } = [];

    /// <summary>One optimizer step at the scheduled learning rate, after clipping the accumulated gradients.</summary>
    void Step(TrainingContext context, List<Parameter> trainable, int warmup, int totalSteps)
    {
        var run = context.Run;
        var phases = context.Phases;
        run.LearningRate = Options.LearningRate * Schedule(run.Step, warmup, totalSteps);
        if (Options.MaxGradNorm > 0)
        {
            phases.Clipping.Start();
            double norm = nn.utils.clip_grad_norm_(trainable, Options.MaxGradNorm);
            phases.Clipping.Stop();
            if (!double.IsFinite(norm)) throw context.Diverged($"the gradient norm became {norm}");
        }
        phases.Optimizer.Start();
        context.Optimizer.Step(run.LearningRate);
        ZeroGradients(trainable);
        phases.Optimizer.Stop();
        run.Step++;
    }

    void CheckTargets(IReadOnlyList<TrainingExample> examples, string name)
    {
        int labels = classifier.Labels.Count;
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            if (!Model.Problem.Fits(e, labels)) throw new ArgumentException($"{name}[{i}] does not fit a {classifier.ProblemType} head with {labels} labels", name);
            // Metrics compare predictions with labels: a teacher's soft target alone cannot be scored.
            if (name == "eval" && e.SoftTarget is not null) throw new ArgumentException($"eval[{i}] carries a soft target; evaluate on labelled examples", name);
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

    float ForwardBackward(int[] batch, EncodedText[] encoded, IReadOnlyList<TrainingExample> examples, Tensor? classWeights, TrainingContext context)
    {
        var phases = context.Phases;
        using var scope = NewDisposeScope();
        phases.Forward.Start();
        var inputs = new BatchEncoding([.. batch.Select(i => encoded[i])], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
        Tensor logits;
        using (Options.BFloat16MixedPrecision ? MixedPrecision.BFloat16() : null)
            logits = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
        var loss = Model.Problem.BatchLoss(logits, [.. batch.Select(i => examples[i])], classWeights, Options.LabelSmoothingFactor, Options.SoftTargetLoss);
        float value = loss.item<float>();
        phases.Forward.Stop();
        if (!float.IsFinite(value)) throw context.Diverged($"the training loss became {value}");
        phases.Backward.Start();
        (loss / Options.GradientAccumulationSteps).backward();
        phases.Backward.Stop();
        return value;
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

    /// <summary>
    /// Biases and LayerNorm weights take no weight decay (transformers' <c>get_decay_parameter_names</c> rule, which finds LayerNorm by
    /// module type: DistilBERT's <c>sa_layer_norm</c>/<c>output_layer_norm</c> and ALBERT's <c>full_layer_layer_norm</c> too); every trainer here follows it.
    /// </summary>
    internal static bool NoDecay(string name) => name.EndsWith(".bias", StringComparison.Ordinal)
        || name.EndsWith("LayerNorm.weight", StringComparison.Ordinal) || name.EndsWith("layer_norm.weight", StringComparison.Ordinal);

    AdamWOptimizer CreateOptimizer(List<(string Name, Parameter Parameter)> trainable)
    {
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

    /// <summary>Loss and metrics of the classifier on <paramref name="examples"/>, without changing it.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TrainingExample> examples) =>
        Evaluation.FromLogits(classifier, examples, Evaluation.Logits(classifier, examples, MaxLength, longText: longText));
}
