using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Tokenization;
using TypedBert.Training.Callbacks;
using TypedBert.Training.Checkpoints;
using static TorchSharp.torch;

namespace TypedBert.Training.FewShot;

/// <summary>
/// Few-shot training in the manner of SetFit (Tunstall et al. 2022, "Efficient Few-Shot Learning Without Prompts"), for 8 to 64
/// labelled examples per label:
/// <list type="number">
/// <item>the encoder is tuned contrastively on pairs of examples (<see cref="ContrastivePairs"/>): the cosine similarity of the two
/// texts' <see cref="SequenceClassificationModel.Features"/> is pulled towards 1 for a pair of the same class and 0 for a pair of
/// different classes (mean squared error, SetFit's <c>CosineSimilarityLoss</c>);</item>
/// <item>the head is then fitted on the tuned features with the encoder frozen: the features are computed once and, as SetFit does,
/// an L2-regularised logistic regression is solved on them to its optimum (<see cref="HeadFit.LogisticRegression"/>), or the head
/// is trained full-batch with the model's own loss (<see cref="HeadFit.GradientDescent"/>).</item>
/// </list>
/// The result is an ordinary <see cref="TextClassifier"/>: saved, loaded, evaluated, served and exported like a fine-tuned one,
/// because the fitted head is the model's own head.
/// </summary>
public sealed class FewShotTrainer
{
    readonly TextClassifier classifier;

    /// <summary>Prepares few-shot training of <paramref name="classifier"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range, or the classifier is a regression model.</exception>
    public FewShotTrainer(TextClassifier classifier, FewShotOptions options)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (classifier.ProblemType == ProblemType.Regression)
            throw new ArgumentException("few-shot training is for single- and multi-label classifiers; train a regression model with Trainer");
        this.classifier = classifier;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public FewShotOptions Options { get; }

    SequenceClassificationModel Model => classifier.Model;

    int MaxLength => Options.MaxLength ?? classifier.MaxLength;

    /// <summary>Runs both phases on <paramref name="train"/>, then scores <paramref name="eval"/> when given.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the weights are those reached so far.</exception>
    /// <exception cref="TrainingDivergedException">A loss stopped being finite.</exception>
    public FewShotResult Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample>? eval = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Count < 2) throw new ArgumentException($"few-shot training needs at least two examples, got {train.Count}", nameof(train));
        int labels = classifier.Labels.Count;
        for (int i = 0; i < train.Count; i++)
        {
            if (!Model.Problem.Fits(train[i], labels))
                throw new ArgumentException($"train[{i}] does not fit a {classifier.ProblemType} head with {labels} labels", nameof(train));
        }
        // A label without examples would get a head weight fitted to nothing; say which one instead. A label with a single
        // example is handled: that example gets negative pairs only.
        var missing = Enumerable.Range(0, labels).Where(label => !train.Any(e =>
            classifier.ProblemType == ProblemType.SingleLabel ? e.LabelId == label : e.Target[label] > 0.5f)).ToList();
        if (missing.Count > 0)
            throw new ArgumentException($"no training example for label{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(l => $"\"{classifier.Labels[l]}\""))}; "
                + "few-shot training needs at least one example of every label (8 or more give useful results)", nameof(train));
        var clock = Stopwatch.StartNew();
        manual_seed(Options.Seed);
        var random = new Random(unchecked((int)Options.Seed));
        var pairs = ContrastivePairs.Sample(train, classifier.ProblemType, Options.PairIterations, random);
        var encoded = train.Select(e => classifier.Tokenizer.Encode(e.Text, e.TextPair, MaxLength)).ToArray();
        using var updating = classifier.UpdatingWeights(); // prediction caches (bf16 copies, ONNX Runtime session) stay fresh
        try
        {
            var epochs = Enumerable.Range(0, Options.BodyEpochs).Select(_ => EpochSteps(pairs, train, encoded, random)).ToList();
            var (steps, bodyLoss) = TuneBody(epochs, train, progress, cancellationToken);
            double headLoss = FitHead(train, encoded, cancellationToken);
            var evaluation = eval is null ? null : Evaluation.Run(classifier, eval, MaxLength);
            int pairsPerEpoch = Options.Pairs == PairSampling.Sampled ? pairs.Count : epochs.FirstOrDefault()?.Sum(step => step.Pairs) ?? 0;
            return new FewShotResult(pairsPerEpoch, steps, bodyLoss, headLoss, clock.Elapsed, evaluation);
        }
        finally
        {
            foreach (var parameter in Model.parameters()) parameter.requires_grad = true;
            Model.eval();
        }
    }

    /// <summary>One optimizer step of the contrastive phase: the texts it encodes, the pairs it learns from, and the pass that computes its loss.</summary>
    sealed record ContrastiveStep(int Texts, int Pairs, Func<float> Loss);

    /// <summary>
    /// The steps of one epoch, in order: <see cref="PairSampling.Sampled"/> shuffles the sampled pairs into batches;
    /// <see cref="PairSampling.AllInBatch"/> makes <see cref="FewShotOptions.PairIterations"/> shuffled passes over the examples.
    /// </summary>
    List<ContrastiveStep> EpochSteps(List<ContrastivePair> pairs, IReadOnlyList<TrainingExample> train, EncodedText[] encoded, Random random)
    {
        if (Options.Pairs == PairSampling.Sampled)
        {
            var order = Enumerable.Range(0, pairs.Count).OrderBy(_ => random.Next()).ToArray();
            return [.. order.Chunk(Options.BodyBatchSize).Select(chunk =>
            {
                var batch = chunk.Select(i => pairs[i]).ToList();
                return new ContrastiveStep(2 * batch.Count, batch.Count, () => PairLoss(batch, encoded));
            })];
        }
        var alike = ContrastivePairs.Alike(train, classifier.ProblemType);
        var steps = new List<ContrastiveStep>();
        for (int round = 0; round < Options.PairIterations; round++)
        {
            var order = Enumerable.Range(0, train.Count).OrderBy(_ => random.Next()).ToArray();
            foreach (var batch in order.Chunk(2 * Options.BodyBatchSize).Where(batch => batch.Length > 1))
                steps.Add(new ContrastiveStep(batch.Length, batch.Length * (batch.Length - 1) / 2, () => InBatchLoss(batch, alike, encoded)));
        }
        return steps;
    }

    /// <summary>
    /// Policies that run after the standard ones (progress reports) at every event of the contrastive phase; they may stop it after an
    /// epoch through the control, as in <see cref="Trainer"/>. Empty unless code inside the library adds one.
    /// </summary>
    internal List<ITrainingCallback> AdditionalCallbacks { get; } = [];

    /// <summary>
    /// Phase 1: the encoder learns to place texts of one class together, AdamW with linear warm-up and decay. Runs the trainer's
    /// callbacks and control: a report after every step, and a stop that a callback decides at an epoch's end.
    /// </summary>
    (int Steps, double LastEpochLoss) TuneBody(List<List<ContrastiveStep>> epochs, IReadOnlyList<TrainingExample> train,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (epochs.Count == 0) return (0, double.NaN);
        var trainable = Trainable(head: false);
        using var optimizer = new AdamWOptimizer(trainable.Select(p => (p.Name, p.Parameter, Trainer.NoDecay(p.Name) ? 0.0 : FewShotDefaults.BodyWeightDecay, 1.0)),
            TrainingDefaults.AdamBeta1, TrainingDefaults.AdamBeta2, TrainingDefaults.AdamEpsilon);
        int total = epochs.Sum(e => e.Count), warmup = Options.WarmupStepsOf(total);
        var context = new TrainingContext(classifier, Options.ContrastivePhase(MaxLength), optimizer, Fingerprint(train, warmup, total), eval: null, total);
        var callbacks = new CallbackHandler([new CheckpointAndReportSchedule(), new ProgressReporting(progress), .. AdditionalCallbacks]);
        context.Callbacks = callbacks.Callbacks;
        var run = context.Run;
        double epochLoss = double.NaN;
        Model.train();
        try
        {
            callbacks.Raise((c, _) => c.OnTrainBegin(context));
            context.StartClock();
            for (; run.Epoch <= epochs.Count && !run.StoppedEarly; run.StartNextEpoch())
            {
                var steps = epochs[run.Epoch - 1];
                callbacks.Raise((c, _) => c.OnEpochBegin(context));
                context.StartTrainingClock();
                for (int index = 0; index < steps.Count; index++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    float loss = steps[index].Loss();
                    if (!float.IsFinite(loss)) throw new TrainingDivergedException($"the contrastive loss became {loss}", run.Epoch, run.Step + 1, null);
                    run.EpochLossSum += loss;
                    run.ExamplesSeen += steps[index].Texts;
                    callbacks.Raise((c, _) => c.OnBatchEnd(context, loss));
                    if (Options.BodyMaxGradNorm > 0)
                    {
                        double norm = nn.utils.clip_grad_norm_(trainable.Select(p => p.Parameter), Options.BodyMaxGradNorm);
                        if (!double.IsFinite(norm)) throw new TrainingDivergedException($"the contrastive gradient norm became {norm}", run.Epoch, run.Step + 1, null);
                    }
                    run.LearningRate = Options.BodyLearningRate * Trainer.Schedule(run.Step, warmup, total);
                    optimizer.Step(run.LearningRate);
                    foreach (var (_, parameter) in trainable) parameter.grad = null!;
                    run.Step++;
                    run.BatchesDone = index + 1;
                    bool lastOfEpoch = index == steps.Count - 1;
                    callbacks.Raise((c, control) => c.OnStepEnd(context, control, lastOfEpoch));
                    callbacks.Act(context, epoch: null);
                }
                context.StopTrainingClock();
                callbacks.Raise((c, _) => c.OnEpochTrainingEnd(context));
                epochLoss = run.EpochLossSum / Math.Max(1, steps.Count);
                var end = new EpochEnd(steps.Count, Evaluation: null);
                callbacks.Raise((c, control) => c.OnEvaluate(context, control, null));
                callbacks.Raise((c, control) => c.OnEpochEnd(context, control, end));
                callbacks.Act(context, end);
            }
            callbacks.Raise((c, _) => c.OnTrainEnd(context));
            return (run.Step, epochLoss);
        }
        finally
        {
            callbacks.Raise((c, _) => c.OnCleanup(context));
        }
    }

    /// <summary>What identifies the contrastive phase (the trainer's context carries one; the few-shot trainer writes no checkpoints).</summary>
    RunFingerprint Fingerprint(IReadOnlyList<TrainingExample> train, int warmup, int total) => new(RunFingerprint.Hash(train), null,
        Options.BodyEpochs, Options.BodyBatchSize, 1, Options.BodyLearningRate, warmup, total, unchecked((int)Options.Seed), MaxLength,
        GroupByLength: false, FreezeEmbeddings: false, FreezeLayers: 0, Options.BFloat16MixedPrecision);

    /// <summary>
    /// MSE between the cosine similarity of every pair in the batch and its target (1 alike, 0 not), the mean over the positive
    /// pairs and the mean over the negative pairs weighted equally, as SetFit's sampling balances them; back-propagated into the encoder.
    /// </summary>
    float InBatchLoss(int[] batch, Func<int, int, bool> alike, EncodedText[] encoded)
    {
        using var scope = NewDisposeScope();
        var inputs = new BatchEncoding([.. batch.Select(i => encoded[i])], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
        var features = nn.functional.normalize(EncodeForTraining(inputs), dim: 1);
        var similarity = features.matmul(features.t());
        int n = batch.Length;
        var positive = new float[n * n];
        var negative = new float[n * n];
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++)
                (alike(batch[a], batch[b]) ? positive : negative)[a * n + b] = 1f;
        var squaredErrors = new List<Tensor>();
        foreach (var (mask, target) in new[] { (positive, 1f), (negative, 0f) })
        {
            float count = mask.Sum();
            if (count == 0) continue;
            var weights = tensor(mask, [n, n]).to(classifier.Device);
            squaredErrors.Add((similarity - target).square().mul(weights).sum() / count);
        }
        var loss = stack(squaredErrors).mean();
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>MSE between the cosine similarity of each pair's features and its target, back-propagated into the encoder.</summary>
    float PairLoss(List<ContrastivePair> batch, EncodedText[] encoded)
    {
        using var scope = NewDisposeScope();
        // Both sides of every pair in one padded batch: one forward pass instead of two.
        var items = batch.Select(p => encoded[p.First]).Concat(batch.Select(p => encoded[p.Second])).ToList();
        var inputs = new BatchEncoding(items, classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
        var features = EncodeForTraining(inputs);
        var first = features[..batch.Count];
        var second = features[batch.Count..];
        var similarity = nn.functional.cosine_similarity(first, second, dim: 1);
        var target = tensor(batch.Select(p => p.Similarity).ToArray()).to(classifier.Device);
        var loss = nn.functional.mse_loss(similarity, target);
        loss.backward();
        return loss.item<float>();
    }

    /// <summary>The features of a contrastive batch, in bf16 mixed precision when the options ask for it.</summary>
    Tensor EncodeForTraining(ModelInputs inputs)
    {
        using (Options.BFloat16MixedPrecision ? Modeling.MixedPrecision.BFloat16() : null)
            return Model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
    }

    /// <summary>Phase 2: the features computed once with the tuned encoder, then the head fitted on them, full batch.</summary>
    double FitHead(IReadOnlyList<TrainingExample> train, EncodedText[] encoded, CancellationToken cancellationToken)
    {
        Model.eval(); // no dropout: the head sees the features prediction will give it
        using var features = Features(encoded);
        var trainable = Trainable(head: true);
        if (Options.Head == HeadFit.LogisticRegression && LinearLayer(trainable, features.shape[1]) is { } linear)
            return FitLogisticRegression(train, features, linear.Weight, linear.Bias);
        using var targets = Targets(train);
        using var optimizer = new AdamWOptimizer(
            trainable.Select(p => (p.Name, p.Parameter, p.Name.EndsWith(".bias", StringComparison.Ordinal) ? 0.0 : Options.HeadWeightDecay, 1.0)),
            TrainingDefaults.AdamBeta1, TrainingDefaults.AdamBeta2, TrainingDefaults.AdamEpsilon);
        double last = double.NaN;
        for (int step = 0; step < Options.HeadSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The optimizer keeps its moments across steps, so it steps outside the scope that frees the step's temporaries.
            using (var stepScope = NewDisposeScope())
            {
                var loss = Model.Loss(Model.Head(features), targets);
                loss.backward();
                last = loss.item<float>();
            }
            if (!double.IsFinite(last)) throw new TrainingDivergedException($"the head's loss became {last} in its fit", 1, step + 1, null);
            optimizer.Step(Options.HeadLearningRate);
            foreach (var (_, parameter) in trainable) parameter.grad = null!;
        }
        return last;
    }

    /// <summary>The head's weight [labels, hidden] and bias [labels] when the head is one linear layer; null for deeper heads (RoBERTa's).</summary>
    (Parameter Weight, Parameter Bias)? LinearLayer(List<(string Name, Parameter Parameter)> head, long hidden)
    {
        if (head.Count != 2) return null;
        var weight = head.FirstOrDefault(p => p.Name.EndsWith(".weight", StringComparison.Ordinal)).Parameter;
        var bias = head.FirstOrDefault(p => p.Name.EndsWith(".bias", StringComparison.Ordinal)).Parameter;
        long labels = classifier.Labels.Count;
        return weight is not null && bias is not null && weight.shape.SequenceEqual([labels, hidden]) && bias.shape.SequenceEqual([labels])
            ? (weight, bias) : null;
    }

    /// <summary>
    /// SetFit's head: logistic regression solved on the features (unit-length when <see cref="FewShotOptions.NormalizeHeadFeatures"/>),
    /// written into the linear head. Normalised features are x / ‖x‖ for each text; the saved head reads x itself, so the weights are
    /// divided by the training features' mean length: the same decision for texts whose features have that length, and the
    /// intercept's share of the logit slightly larger or smaller for the others.
    /// </summary>
    double FitLogisticRegression(IReadOnlyList<TrainingExample> train, Tensor features, Parameter weight, Parameter bias)
    {
        int rows = (int)features.shape[0], hidden = (int)features.shape[1];
        var flat = features.to(float64).cpu().data<double>().ToArray();
        var x = Enumerable.Range(0, rows).Select(i => flat[(i * hidden)..((i + 1) * hidden)]).ToArray();
        double scale = 1;
        if (Options.NormalizeHeadFeatures)
        {
            var norms = x.Select(row => Math.Sqrt(LbfgsMinimizer.Dot(row, row))).ToArray();
            scale = norms.Average();
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < hidden; j++) x[i][j] /= Math.Max(norms[i], 1e-12);
        }
        var fit = classifier.ProblemType == ProblemType.SingleLabel
            ? LogisticRegression.FitSingleLabel(x, [.. train.Select(e => e.LabelId)], classifier.Labels.Count, Options.HeadC, Options.HeadSteps)
            : LogisticRegression.FitMultiLabel(x, [.. train.Select(e => e.Target.Select(t => t > 0.5f).ToArray())], Options.HeadC, Options.HeadSteps);
        if (!double.IsFinite(fit.Loss)) throw new TrainingDivergedException($"the head's loss became {fit.Loss} in its fit", 1, fit.Iterations, null);
        using (no_grad())
        {
            using var w = tensor(fit.Weights.SelectMany(row => row.Select(v => (float)(v / scale))).ToArray(), [fit.Weights.Length, hidden]);
            using var b = tensor(fit.Bias.Select(v => (float)v).ToArray());
            weight.copy_(w);
            bias.copy_(b);
        }
        return fit.Loss;
    }

    /// <summary>The training targets as the problem type's loss takes them, on the classifier's device.</summary>
    Tensor Targets(IReadOnlyList<TrainingExample> train)
    {
        using var scope = NewDisposeScope();
        return Model.Problem.Targets(train, classifier.Labels.Count).to(classifier.Device).MoveToOuterDisposeScope();
    }

    /// <summary>The features of every example [examples, hidden], without gradients, in batches of 32.</summary>
    Tensor Features(EncodedText[] encoded)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (int start = 0; start < encoded.Length; start += 32)
        {
            var inputs = new BatchEncoding([.. encoded.Skip(start).Take(32)], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
            parts.Add(Model.Features(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds));
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Makes the head (or the encoder) the only part that trains and returns its parameters.</summary>
    List<(string Name, Parameter Parameter)> Trainable(bool head)
    {
        var result = new List<(string, Parameter)>();
        foreach (var (name, parameter) in Model.named_parameters())
        {
            bool trains = Model.IsHeadParameter(name) == head;
            parameter.requires_grad = trains;
            if (trains) result.Add((name, parameter));
        }
        return result;
    }
}
