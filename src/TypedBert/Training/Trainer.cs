using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Metrics;
using TypedBert.Tokenization;
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
        this.classifier = classifier;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    SequenceClassificationModel Model => classifier.Model;
    int MaxLength => Options.MaxLength ?? classifier.MaxLength;

    /// <summary>Fine-tunes on <paramref name="train"/>, evaluating on <paramref name="eval"/> after every epoch when given.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired; the model keeps the weights reached so far.</exception>
    public TrainingResult Train(IReadOnlyList<TrainingExample> train, IReadOnlyList<TrainingExample>? eval = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (train.Count == 0) throw new ArgumentException("no training examples", nameof(train));
        CheckTargets(train, nameof(train));
        if (eval is not null) CheckTargets(eval, nameof(eval));
        if (Options.Threads is int threads) set_num_threads(threads);
        manual_seed(Options.Seed);
        var random = new Random(Options.Seed);

        var encoded = train.Select(e => classifier.Tokenizer.Encode(e.Text, e.TextPair, MaxLength)).ToArray();
        var lengths = encoded.Select(e => e.Length).ToArray();
        int batchesPerEpoch = (train.Count + Options.BatchSize - 1) / Options.BatchSize;
        int stepsPerEpoch = (batchesPerEpoch + Options.GradientAccumulationSteps - 1) / Options.GradientAccumulationSteps;
        int totalSteps = stepsPerEpoch * Options.Epochs;
        int warmup = Options.WarmupSteps ?? (int)Math.Ceiling(Options.WarmupRatio * totalSteps);

        var named = Freeze();
        var trainable = named.Select(p => p.Parameter).ToList();
        using var optimizer = CreateOptimizer(named);
        using var classWeights = Options.ClassWeights is null ? null : tensor(Options.ClassWeights.ToArray()).to(classifier.Device);

        var history = new List<EpochSummary>();
        Dictionary<string, Tensor>? best = null;
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0, sinceImprovement = 0, step = 0;
        long examplesSeen = 0;
        bool stoppedEarly = false;
        var clock = Stopwatch.StartNew();
        var trainingClock = new Stopwatch(); // excludes evaluation, so examples/s and ETA describe training alone
        double learningRate = 0;
        try
        {
            for (int epoch = 1; epoch <= Options.Epochs && !stoppedEarly; epoch++)
            {
                Model.train();
                var batches = Options.GroupByLength
                    ? BatchSampler.GroupedByLength(lengths, Options.BatchSize, random)
                    : BatchSampler.Shuffled(train.Count, Options.BatchSize, random);
                double epochLoss = 0, windowLoss = 0;
                int epochBatches = 0, windowBatches = 0;
                trainingClock.Start();
                for (int b = 0; b < batches.Count; b++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    float loss = ForwardBackward(batches[b], encoded, train, classWeights);
                    epochLoss += loss;
                    windowLoss += loss;
                    epochBatches++;
                    windowBatches++;
                    examplesSeen += batches[b].Length;

                    bool lastOfEpoch = b == batches.Count - 1;
                    if ((b + 1) % Options.GradientAccumulationSteps != 0 && !lastOfEpoch) continue;
                    learningRate = Options.LearningRate * Schedule(step, warmup, totalSteps);
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                    if (Options.MaxGradNorm > 0) nn.utils.clip_grad_norm_(trainable, Options.MaxGradNorm);
                    optimizer.step();
                    ZeroGradients(trainable);
                    step++;
                    if (step % Options.LoggingSteps == 0 && !lastOfEpoch)
                    {
                        progress?.Report(Report(step, totalSteps, epoch, windowLoss / windowBatches, learningRate, examplesSeen, clock.Elapsed, trainingClock.Elapsed));
                        windowLoss = 0;
                        windowBatches = 0;
                    }
                }

                trainingClock.Stop();
                var evaluation = eval is null ? null : Evaluate(eval);
                history.Add(new EpochSummary(epoch, epochLoss / epochBatches, learningRate, evaluation, clock.Elapsed));
                progress?.Report(Report(step, totalSteps, epoch, windowBatches == 0 ? epochLoss / epochBatches : windowLoss / windowBatches, learningRate, examplesSeen, clock.Elapsed, trainingClock.Elapsed)
                    with { Evaluation = evaluation });
                if (evaluation is null)
                {
                    bestEpoch = epoch;
                    continue;
                }
                double score = evaluation.Score(Options.MetricForBestModel);
                if (score > bestScore)
                {
                    bestScore = score;
                    bestEpoch = epoch;
                    sinceImprovement = 0;
                    if (Options.LoadBestModelAtEnd) best = Snapshot(best);
                }
                else if (Options.EarlyStoppingPatience is int patience && ++sinceImprovement >= patience)
                {
                    stoppedEarly = true;
                }
            }
            if (best is not null && bestEpoch != history.Count) Restore(best);
            else if (eval is not null && !Options.LoadBestModelAtEnd) bestEpoch = history.Count;
        }
        finally
        {
            if (best is not null) foreach (var t in best.Values) t.Dispose();
            foreach (var parameter in Model.parameters()) parameter.requires_grad = true;
            Model.eval();
        }
        return new TrainingResult(history, bestEpoch, stoppedEarly, step, clock.Elapsed, examplesSeen / Math.Max(trainingClock.Elapsed.TotalSeconds, 1e-9));
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

    float ForwardBackward(int[] batch, EncodedText[] encoded, IReadOnlyList<TrainingExample> examples, Tensor? classWeights)
    {
        using var scope = NewDisposeScope();
        var inputs = new BatchEncoding([.. batch.Select(i => encoded[i])], classifier.Tokenizer.PadTokenId).ToTensors(classifier.Device);
        var logits = Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
        var loss = Model.Loss(logits, Targets(batch.Select(i => examples[i]).ToList()), classWeights);
        float value = loss.item<float>();
        if (!float.IsFinite(value))
            throw new InvalidOperationException($"the training loss became {value}; lower the learning rate or check the data");
        (loss / Options.GradientAccumulationSteps).backward();
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

    AdamW CreateOptimizer(List<(string Name, Parameter Parameter)> trainable)
    {
        static bool NoDecay(string name) => name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("LayerNorm.weight", StringComparison.Ordinal);
        var decay = trainable.Where(p => !NoDecay(p.Name)).Select(p => p.Parameter).ToList();
        var noDecay = trainable.Where(p => NoDecay(p.Name)).Select(p => p.Parameter).ToList();
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay, new AdamW.Options { LearningRate = Options.LearningRate, weight_decay = Options.WeightDecay }),
            new(noDecay, new AdamW.Options { LearningRate = Options.LearningRate, weight_decay = 0 }),
        };
        return optim.AdamW(groups.Where(g => g.Parameters.Any()), Options.LearningRate, Options.AdamBeta1, Options.AdamBeta2, Options.AdamEpsilon, Options.WeightDecay);
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
    }

    TrainingProgress Report(int step, int total, int epoch, double loss, double learningRate, long examples, TimeSpan elapsed, TimeSpan training)
    {
        double perSecond = examples / Math.Max(training.TotalSeconds, 1e-9);
        var remaining = step == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(training.TotalSeconds / step * (total - step));
        return new TrainingProgress(step, total, epoch, Options.Epochs, loss, learningRate, perSecond, elapsed, remaining);
    }

    /// <summary>Loss and metrics of the classifier on <paramref name="examples"/>, without changing it.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TrainingExample> examples) => Evaluation.Run(classifier, examples, MaxLength);
}
