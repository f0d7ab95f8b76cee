using TypedBert.Classification;
using TypedBert.Cli.Terminal;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Distillation;

namespace TypedBert.Cli.Commands;

/// <summary>
/// <c>train --unlabeled</c>: once the classifier has trained on the labelled rows, it scores the pool and a student of its layers trains on the
/// labelled rows plus the pool's soft labels (<see cref="Distiller.SelfTrain"/>); the classifier then holds the student's weights, so the
/// command saves, tests and reports the student as it would the trained model.
/// </summary>
/// <param name="Options">The distillation's options.</param>
/// <param name="Pool">The unlabelled texts.</param>
/// <param name="StudentSource">A fresh classifier on the base model (a new head), where every student starts.</param>
internal sealed record SelfTraining(DistillationOptions Options, List<string> Pool, Func<TextClassifier> StudentSource)
{
    /// <summary>
    /// A student's start: <paramref name="fresh"/> (the base model with a new head), its head set from the label descriptions when the
    /// command has <c>--descriptions</c>, so that every student starts from the same prior as its teacher did.
    /// </summary>
    public static TextClassifier StudentStart(TextClassifier fresh, (ZeroShot.LabelDescriptions Descriptions, ZeroShot.ZeroShotOptions Options)? headStart)
    {
        if (headStart is { } start) ZeroShot.ZeroShotClassifier.InitializeHead(fresh, start.Descriptions, start.Options);
        return fresh;
    }

    /// <summary>Runs it, printing the teacher's test accuracy first; returns the rounds for the JSON report.</summary>
    public object Run(TextClassifier classifier, List<TrainingExample> train, List<TrainingExample>? eval, List<TrainingExample>? test,
        ConsoleOutput console, CancellationToken cancellationToken)
    {
        Console.WriteLine();
        if (test is not null)
        {
            var teacher = console.Progress.Count("testing the teacher", test.Count, done => Evaluation.Run(classifier, test, null, done));
            Console.WriteLine($"teacher (trained on the {train.Count} labelled rows): test accuracy {Report.F(teacher.Classification!.Accuracy)}");
        }
        var started = DateTime.UtcNow;
        using var source = StudentSource();
        var rounds = console.Progress.Train(progress => new Distiller(Options).SelfTrain(classifier, train, Pool, source, eval, progress, cancellationToken));
        Console.WriteLine();
        foreach (var round in rounds)
            Console.WriteLine($"self-training round {round.Round}: the teacher scored {round.PoolTexts} pool texts, kept {round.Kept.Sum()} ({string.Join(", ", round.Kept.Select((k, l) => $"{classifier.Labels[l]}: {k}"))})"
                + (round.Training is null ? $"; read back from {round.ResumedFrom}" : $"; student trained {round.Training.Steps} steps"
                    + (round.ResumedFrom is null ? "" : $" (resumed from {round.ResumedFrom})")));
        Console.WriteLine($"self-training: {Report.Duration(DateTime.UtcNow - started)}; the student is the model saved and tested below");
        return UnlabeledPoolOptions.Json(rounds);
    }
}
