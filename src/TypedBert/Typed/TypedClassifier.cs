using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.FewShot;
using TypedBert.ZeroShot;
using static TorchSharp.torch;

namespace TypedBert.Typed;

/// <summary>
/// A <see cref="TextClassifier"/> whose labels are the <c>[BertLabels]</c> enum <typeparamref name="TEnum"/>: the one place that
/// checks a model's labels and problem type against the enum, turns predictions into members and typed examples into training
/// examples, and scores typed examples. The generated <c>{Enum}Classifier</c> derives from it (adding typed scores, <c>Default</c>
/// and the attribute's base model), and Hosting's <c>BertClassifier&lt;TEnum&gt;</c> holds one.
/// A <c>[Flags]</c> enum is a multi-label set; any other enum is single-label.
/// </summary>
/// <typeparam name="TEnum">The <c>[BertLabels]</c> enum.</typeparam>
public class TypedClassifier<TEnum> : IDisposable where TEnum : struct, Enum
{
    /// <summary>
    /// Takes <paramref name="inner"/> over after checking that its labels are exactly the enum's, in order, and its problem type fits;
    /// disposes it when the check fails, so no caller ever holds a classifier that does not fit.
    /// </summary>
    /// <param name="inner">The classifier; owned by the new object.</param>
    /// <param name="source">Names the model in error messages (its folder).</param>
    /// <param name="labels">The enum's labels; the registered <see cref="EnumLabels{TEnum}"/> when null.</param>
    /// <exception cref="InvalidDataException">The model's labels or problem type do not fit the enum; every difference is listed.</exception>
    protected TypedClassifier(TextClassifier inner, string source, EnumLabels<TEnum>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        try
        {
            labels ??= EnumLabels<TEnum>.Get();
            string name = typeof(TEnum).Name;
            ModelLabelCheck.Require(labels.Names, inner.Labels, name, source);
            var expected = ProblemTypeOf(labels);
            if (inner.ProblemType != expected)
                throw new InvalidDataException($"{source}: the model is {inner.ProblemType}, but {name} needs {expected}");
        }
        catch
        {
            inner.Dispose();
            throw;
        }
        Inner = inner;
        Labels = labels;
    }

    /// <summary>The untyped classifier underneath (its tokenizer, settings and model).</summary>
    public TextClassifier Inner { get; }

    /// <summary>The enum's labels: names, ids and members (the generated <c>{Enum}Labels</c> as an object).</summary>
    public EnumLabels<TEnum> Labels { get; }

    /// <summary>Renamed <see cref="Labels"/>.</summary>
    [Obsolete("use Labels (of type EnumLabels<TEnum>, formerly LabelMap<TEnum>)", error: true)]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public EnumLabels<TEnum> Map => Labels;

    /// <summary>The problem type the enum needs: multi-label for a <c>[Flags]</c> enum, else single-label.</summary>
    public static ProblemType ProblemTypeOf(EnumLabels<TEnum> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return labels.IsFlags ? ProblemType.MultiLabel : ProblemType.SingleLabel;
    }

    /// <summary>The pre-trained encoder <paramref name="baseModel"/> with a fresh head for the enum's labels, ready to fine-tune.</summary>
    /// <param name="baseModel">An embedded model name, a model folder or a hub id (see <see cref="TextClassifier.FromPretrained"/>).</param>
    /// <param name="device">CPU when null.</param>
    /// <param name="labels">The enum's labels; the registered <see cref="EnumLabels{TEnum}"/> when null.</param>
    /// <param name="pooling">How the encoder's vectors become one; what the base model recommends when null.</param>
    /// <param name="seed">Seed of the new head's initial weights (a <c>[BertTrainingConfig]</c>'s <c>Seed</c>).</param>
    public static TypedClassifier<TEnum> FromPretrained(string baseModel, Device? device = null, EnumLabels<TEnum>? labels = null,
        PoolingStrategy? pooling = null, long seed = TrainingDefaults.Seed)
    {
        labels ??= EnumLabels<TEnum>.Get();
        return new(TextClassifier.FromPretrained(baseModel, labels.Names, ProblemTypeOf(labels), pooling, device, seed), baseModel, labels);
    }

    /// <summary>
    /// A classifier from the enum's label descriptions alone, with no training data (<see cref="ZeroShotClassifier"/>); train it further
    /// to start from the descriptions.
    /// </summary>
    /// <exception cref="ArgumentException">The enum is a <c>[Flags]</c> set (zero-shot picks one label), or the descriptions' labels differ from the enum's.</exception>
    public static TypedClassifier<TEnum> ZeroShot(string baseModel, LabelDescriptions descriptions, Device? device = null, EnumLabels<TEnum>? labels = null,
        ZeroShotOptions? options = null)
    {
        labels ??= EnumLabels<TEnum>.Get();
        if (labels.IsFlags) throw new ArgumentException($"{typeof(TEnum).Name} is a [Flags] enum: zero-shot classification picks one label; fine-tune it on labelled data instead", nameof(labels));
        ArgumentNullException.ThrowIfNull(descriptions);
        if (!descriptions.Labels.SequenceEqual(labels.Names, StringComparer.Ordinal))
            throw new ArgumentException($"the descriptions are for {string.Join(", ", descriptions.Labels)}, not for {typeof(TEnum).Name}'s labels {string.Join(", ", labels.Names)}", nameof(descriptions));
        return Wrap(ZeroShotClassifier.Create(baseModel, descriptions, options, device), $"zero-shot {typeof(TEnum).Name}", labels);
    }

    /// <summary>Loads a fine-tuned classifier and checks that its labels are exactly the enum's, in order, and its problem type fits.</summary>
    /// <exception cref="InvalidDataException">The model's labels or problem type do not fit the enum; every difference is listed.</exception>
    public static TypedClassifier<TEnum> Load(string directory, Device? device = null, EnumLabels<TEnum>? labels = null) =>
        new(TextClassifier.Load(directory, device), directory, labels);

    /// <summary>As <see cref="Load(string, Device?, EnumLabels{TEnum}?)"/>, predicting with <paramref name="settings"/> for as long as it lives.</summary>
    /// <exception cref="InvalidDataException">The model's labels or problem type do not fit the enum; every difference is listed.</exception>
    public static TypedClassifier<TEnum> Load(string directory, PredictionSettings settings, Device? device = null, EnumLabels<TEnum>? labels = null) =>
        new(TextClassifier.Load(directory, settings, device), directory, labels);

    /// <summary>
    /// Takes <paramref name="inner"/> over after checking it against the enum, as <c>Load</c> does; disposes it when the check
    /// fails, so the caller never holds a classifier that does not fit.
    /// </summary>
    /// <param name="inner">The classifier to wrap; owned by the result.</param>
    /// <param name="source">Names the model in error messages (its folder).</param>
    /// <param name="labels">The enum's labels; the registered <see cref="EnumLabels{TEnum}"/> when null.</param>
    public static TypedClassifier<TEnum> Wrap(TextClassifier inner, string source, EnumLabels<TEnum>? labels = null) => new(inner, source, labels);

    /// <summary>
    /// The label of <paramref name="text"/>; for a <c>[Flags]</c> enum, every label whose probability reaches
    /// <paramref name="threshold"/> (the model's own thresholds when null). A single-label enum ignores the threshold.
    /// </summary>
    public TEnum Predict(string text, float? threshold = null) => FromPrediction(Inner.Predict(text), threshold);

    /// <summary>Predicts many texts; results in input order.</summary>
    public IReadOnlyList<TEnum> PredictBatch(IReadOnlyList<string> texts, float? threshold = null) =>
        [.. Inner.PredictBatch(texts).Select(p => FromPrediction(p, threshold))];

    /// <summary>The whole prediction of <paramref name="text"/>: logits, scores, the label names and how many windows were read.</summary>
    public Prediction PredictDetails(string text) => Inner.Predict(text);

    /// <summary>
    /// A classifier over the same weights that predicts with <paramref name="settings"/> (see <see cref="TextClassifier.WithSettings"/>);
    /// dispose both: the weights go when the last is disposed.
    /// </summary>
    public TypedClassifier<TEnum> WithSettings(PredictionSettings settings) => new(Inner.WithSettings(settings), typeof(TEnum).Name, Labels);

    /// <summary>The probability of every label, in label-id order.</summary>
    public float[] PredictScores(string text) => Inner.Predict(text).Scores;

    /// <summary>The probability of every label, by member.</summary>
    public IReadOnlyDictionary<TEnum, float> PredictScoresByLabel(string text)
    {
        var scores = PredictScores(text);
        return Enumerable.Range(0, scores.Length).ToDictionary(Labels.FromId, id => scores[id]);
    }

    /// <summary>
    /// The member (single-label) or combination of flags (multi-label) that <paramref name="prediction"/>, one of this classifier's,
    /// selects: for flags, every label whose probability reaches <paramref name="threshold"/> (the model's own thresholds when null).
    /// </summary>
    public TEnum FromPrediction(Prediction prediction, float? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (!Labels.IsFlags) return Labels.FromId(prediction.LabelId);
        // Straight from the decisions per label id to the flags: no label names in between.
        var chosen = Inner.Problem.Decide(prediction.Scores, Inner.Config.Thresholds, threshold);
        return Labels.FromIds(Enumerable.Range(0, chosen.Length).Where(id => chosen[id]));
    }

    /// <summary>Fine-tunes on typed examples.</summary>
    public TrainingResult Train(IEnumerable<(string Text, TEnum Label)> examples, TrainingOptions? options = null,
        IEnumerable<(string Text, TEnum Label)>? evaluation = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        new Trainer(Inner, options ?? new TrainingOptions())
            .Train(ToExamples(examples), evaluation is null ? null : ToExamples(evaluation), progress, cancellationToken);

    /// <summary>
    /// Trains on a few typed examples per label the SetFit way (<see cref="FewShotTrainer"/>): contrastive pairs for the encoder, then the head.
    /// </summary>
    public FewShotResult TrainFewShot(IEnumerable<(string Text, TEnum Label)> examples, FewShotOptions? options = null,
        IEnumerable<(string Text, TEnum Label)>? evaluation = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        new FewShotTrainer(Inner, options ?? new FewShotOptions())
            .Train(ToExamples(examples), evaluation is null ? null : ToExamples(evaluation), progress, cancellationToken);

    /// <summary>Loss and the metrics of the enum's problem type on typed examples (accuracy and F1, or the multi-label scores).</summary>
    /// <param name="examples">Labelled examples.</param>
    /// <param name="maxLength">Longest input in tokens; the classifier's own when null.</param>
    public EvaluationResult Evaluate(IEnumerable<(string Text, TEnum Label)> examples, int? maxLength = null) =>
        Evaluation.Run(Inner, ToExamples(examples), maxLength);

    List<TrainingExample> ToExamples(IEnumerable<(string Text, TEnum Label)> examples) => [.. examples.Select(ToExample)];

    /// <summary>One typed example in the trainer's form: a label id, or multi-hot targets for a <c>[Flags]</c> enum.</summary>
    public TrainingExample ToExample((string Text, TEnum Label) example) => Labels.IsFlags
        ? TrainingExample.ForLabels(example.Text, Labels.ToIds(example.Label), Labels.Names.Count)
        : TrainingExample.ForLabel(example.Text, Labels.ToId(example.Label));

    /// <summary>Saves the classifier in the Hugging Face layout.</summary>
    public void Save(string directory) => Inner.Save(directory);

    /// <inheritdoc />
    public void Dispose() => Inner.Dispose();
}
