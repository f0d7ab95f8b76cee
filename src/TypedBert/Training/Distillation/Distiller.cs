using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Serialization;
using TypedBert.Training.Checkpoints;

namespace TypedBert.Training.Distillation;

/// <summary>
/// Self-training and knowledge distillation: teachers score an unlabelled pool, and a student trains on the labelled rows (cross-entropy)
/// plus the pool texts with the teachers' soft targets (<see cref="SoftTargetLoss"/>), for one or more rounds.
/// </summary>
public sealed class Distiller(DistillationOptions options)
{
    /// <summary>The settings.</summary>
    public DistillationOptions Options { get; } = options;

    /// <summary>
    /// Trains a student of the first teacher's labels and returns it (the caller disposes it; the teachers stay the caller's). Every round's
    /// student starts afresh from <paramref name="studentSource"/>'s layers (the first teacher when null), as in Noisy Student: a copy of its
    /// only teacher, taught that teacher's own probabilities, would start at zero loss on the pool and learn nothing from it.
    /// </summary>
    /// <param name="teachers">Trained single-label classifiers with the same labels; their mean probabilities teach.</param>
    /// <param name="labelled">Labelled rows the student also trains on (may be empty).</param>
    /// <param name="pool">Unlabelled texts.</param>
    /// <param name="eval">Labelled rows scored after every epoch of the student's training.</param>
    /// <param name="studentSource">The classifier whose layers the student starts from (a fresh head on a base body, or a teacher).</param>
    /// <param name="rounds">Told each finished round.</param>
    /// <param name="progress">The student's training progress.</param>
    /// <param name="cancellationToken">Stops training; checkpoints already written are kept.</param>
    /// <exception cref="ArgumentException">The pool is empty, the labels differ, or the student would have more layers than its source.</exception>
    public TextClassifier Distill(IReadOnlyList<TextClassifier> teachers, IReadOnlyList<TrainingExample> labelled, IReadOnlyList<string> pool,
        IReadOnlyList<TrainingExample>? eval = null, TextClassifier? studentSource = null, Action<DistillationRound>? rounds = null,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        if (pool.Count == 0) throw new ArgumentException("the unlabelled pool is empty; give it at least one text", nameof(pool));
        var ensemble = new TeacherEnsemble(teachers);
        var source = studentSource ?? teachers[0];
        TeacherEnsemble.CheckLabels(ensemble.Labels, source.Labels, "the student");
        StudentLayers.EvenlySpaced(source.Config.Encoder.NumHiddenLayers, Options.StudentLayers ?? source.Config.Encoder.NumHiddenLayers);

        TextClassifier? previous = null;
        try
        {
            for (int round = 1; round <= Options.Rounds; round++)
            {
                var scored = (previous is null ? ensemble : new TeacherEnsemble([previous])).Score(pool, Options.Training.SoftTargetLoss.Temperature, Options.Training.MaxLength);
                var kept = Options.Selection.Apply(scored, ensemble.Labels.Count);
                var counts = Enumerable.Range(0, ensemble.Labels.Count).Select(l => kept.Count(k => k.LabelId == l)).ToArray();
                var student = StudentLayers.Create(source, Options.StudentLayers ?? source.Config.Encoder.NumHiddenLayers);
                (TrainingResult? Run, string? ResumedFrom) run;
                try
                {
                    run = TrainRound(student, round, [.. labelled, .. kept.Select(k => TrainingExample.ForSoftTarget(k.Text, Options.HardTargets ? OneHot(k.LabelId, k.SoftTarget.Length) : k.SoftTarget))], eval, progress, cancellationToken);
                }
                catch
                {
                    student.Dispose();
                    throw;
                }
                previous?.Dispose();
                previous = student;
                rounds?.Invoke(new DistillationRound(round, pool.Count, counts, run.Run, run.ResumedFrom));
            }
            var result = previous!;
            previous = null;
            return result;
        }
        finally
        {
            previous?.Dispose();
        }
    }

    /// <summary>
    /// Self-training: <paramref name="classifier"/>, trained on <paramref name="labelled"/>, teaches a student of its own layers on
    /// <paramref name="pool"/> and the same labelled rows, and ends with the last student's weights. Returns the rounds.
    /// </summary>
    /// <param name="classifier">The teacher, which ends holding the student's weights.</param>
    /// <param name="labelled">The labelled rows it trained on.</param>
    /// <param name="pool">Unlabelled texts.</param>
    /// <param name="studentSource">Where each student starts: the pre-trained body with a new head (<see cref="TextClassifier.FromPretrained"/>
    /// of the classifier's base model), of the classifier's architecture. Not the classifier itself: see <see cref="Distill"/>.</param>
    /// <param name="eval">Scored after every epoch of the student.</param>
    /// <param name="progress">The student's training progress.</param>
    /// <param name="cancellationToken">Stops training.</param>
    /// <exception cref="ArgumentException"><see cref="DistillationOptions.StudentLayers"/> asks for another layer count (use <see cref="Distill"/>).</exception>
    public IReadOnlyList<DistillationRound> SelfTrain(TextClassifier classifier, IReadOnlyList<TrainingExample> labelled, IReadOnlyList<string> pool,
        TextClassifier studentSource, IReadOnlyList<TrainingExample>? eval = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int layers = classifier.Config.Encoder.NumHiddenLayers;
        if (Options.StudentLayers is int asked && asked != layers)
            throw new ArgumentException($"self-training keeps the classifier's {layers} layers, not {asked}; distil into a smaller student with Distill");
        var rounds = new List<DistillationRound>();
        using var student = Distill([classifier], labelled, pool, eval, studentSource, rounds.Add, progress, cancellationToken);
        CopyWeights(student, classifier);
        return rounds;
    }

    /// <summary>Trains one round's student, or reads back the one a finished round saved (no run); with where it resumed from.</summary>
    (TrainingResult?, string?) TrainRound(TextClassifier student, int round, List<TrainingExample> train, IReadOnlyList<TrainingExample>? eval,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        string? checkpoints = Options.CheckpointDirectory is { } root ? Path.Combine(root, $"distill-round-{round}") : null;
        string? finished = checkpoints is null ? null : checkpoints + ".student";
        if (Options.Resume && finished is not null && Directory.Exists(finished))
        {
            using var saved = TextClassifier.Load(finished);
            CopyWeights(saved, student);
            return (null, finished);
        }
        var training = Options.RoundTraining(checkpoints) with
        {
            ResumeFromCheckpoint = Options.Resume && checkpoints is not null ? CheckpointStore.FindLatest(checkpoints) : null,
        };
        var run = new Trainer(student, training).Train(train, eval, progress, cancellationToken);
        if (finished is not null) student.Save(finished);
        return (run, training.ResumeFromCheckpoint);
    }

    static float[] OneHot(int label, int labels)
    {
        var target = new float[labels];
        target[label] = 1;
        return target;
    }

    static void CopyWeights(TextClassifier from, TextClassifier to)
    {
        var source = from.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = TorchSharp.torch.no_grad();
        using var updating = to.UpdatingWeights();
        foreach (var (name, parameter) in to.Model.named_parameters()) parameter.copy_(source[name]);
    }
}
