using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Training;
using TypedBert.Training.Distillation;

namespace TypedBert.Tests.Training.Distillation;

public class DistillerTests
{
    static readonly string[] Negative = ["a dull and boring mess", "I hated every minute", "the worst film of the year", "flat, lifeless and far too long"];
    static readonly string[] Positive = ["a wonderful, moving film", "I loved every minute", "the best film of the year", "sharp, funny and full of life"];
    static readonly string[] Pool =
    [
        "a tedious, clumsy script", "warm, clever and beautifully acted", "I walked out halfway", "a joy from start to finish",
        "painfully slow and predictable", "one of the finest films in years", "a waste of a good cast", "smart, tender and very funny",
    ];

    static readonly string[] Labels = ["negative", "positive"];

    static TextClassifier MiniLM(int seed) => TextClassifier.FromPretrained("minilm-l6-uncased", Labels, seed: seed);

    /// <summary>A teacher fine-tuned on the eight labelled sentences.</summary>
    static TextClassifier Teacher(int seed = 1)
    {
        var teacher = MiniLM(seed).With(s => s with { MaxLength = 32 });
        new Trainer(teacher, new TrainingOptions { Epochs = 6, BatchSize = 8, LearningRate = 1e-4, WarmupRatio = 0, MaxLength = 32, Seed = seed, Threads = 1 })
            .Train([.. Negative.Select(t => TrainingExample.ForLabel(t, 0)), .. Positive.Select(t => TrainingExample.ForLabel(t, 1))]);
        return teacher;
    }

    static float[][] Probabilities(TextClassifier classifier, IReadOnlyList<string> texts) => [.. classifier.PredictBatch(texts).Select(p => p.Scores)];

    static double MeanGap(float[][] a, float[][] b) => a.Zip(b, (x, y) => Math.Abs(x[1] - y[1])).Average();

    static DistillationOptions Options(string? checkpoints = null, bool resume = false) => new()
    {
        Training = new TrainingOptions { Epochs = 8, BatchSize = 4, LearningRate = 1e-4, WarmupRatio = 0, MaxLength = 32, Seed = 3, Threads = 1, LoggingSteps = 1,
            SoftTargetLoss = new SoftTargetLoss(Temperature: 1, Weight: 1), SaveSteps = checkpoints is null ? null : 2 },
        CheckpointDirectory = checkpoints,
        Resume = resume,
    };

    [Fact]
    public void A_student_trained_only_on_the_pool_s_soft_labels_reproduces_its_teacher_on_them()
    {
        using var teacher = Teacher();
        var taught = Probabilities(teacher, Pool);
        // The student starts from the base body with its own random head, so all it knows of the task comes through the soft labels.
        using var fresh = MiniLM(seed: 99).With(s => s with { MaxLength = 32 });
        double before = MeanGap(Probabilities(fresh, Pool), taught);
        using var student = new Distiller(Options()).Distill([teacher], [], Pool, studentSource: fresh);
        var learned = Probabilities(student, Pool);
        double after = MeanGap(learned, taught);
        Assert.True(after < 0.1 && after < before / 2, $"mean |p_student - p_teacher| went from {before:0.000} to {after:0.000}");
        for (int i = 0; i < Pool.Length; i++)
            Assert.True((learned[i][1] > 0.5) == (taught[i][1] > 0.5), $"\"{Pool[i]}\": teacher {taught[i][1]:0.000}, student {learned[i][1]:0.000}");
    }

    [Fact]
    public void Hard_targets_teach_the_teacher_s_favoured_label_not_its_uncertainty()
    {
        // An untrained head is a lukewarm teacher (probabilities near 0.5): with soft targets a student would copy that doubt, with
        // hard targets it learns the teacher's argmax with confidence.
        using var teacher = MiniLM(seed: 5).With(s => s with { MaxLength = 32 });
        var taught = Probabilities(teacher, Pool);
        Assert.True(taught.All(p => p.Max() < 0.7), $"the untrained teacher should be lukewarm: {string.Join(", ", taught.Select(p => p.Max()))}");
        using var fresh = MiniLM(seed: 99).With(s => s with { MaxLength = 32 });
        using var student = new Distiller(Options() with { HardTargets = true }).Distill([teacher], [], Pool, studentSource: fresh);
        var learned = Probabilities(student, Pool);
        for (int i = 0; i < Pool.Length; i++)
            Assert.True(Array.IndexOf(learned[i], learned[i].Max()) == Array.IndexOf(taught[i], taught[i].Max()) && learned[i].Max() > Math.Max(0.8, taught[i].Max() + 0.1),
                $"\"{Pool[i]}\": teacher [{string.Join(", ", taught[i])}], student [{string.Join(", ", learned[i])}]");
    }

    [Fact]
    public void An_ensemble_teaches_the_mean_of_its_teachers_probabilities_at_the_temperature_and_refuses_other_labels()
    {
        using var a = MiniLM(seed: 1);
        using var b = MiniLM(seed: 2);
        const double Temperature = 2;
        var scores = new TeacherEnsemble([a, b]).Score(Pool, Temperature);
        var logitsA = a.PredictBatch(Pool);
        var logitsB = b.PredictBatch(Pool);
        // By hand: each teacher's softmax(z / T), then the mean of the two (the probabilities are averaged, not the logits).
        static double[] Softmax(float[] z, double t)
        {
            var e = z.Select(v => Math.Exp(v / t)).ToArray();
            return [.. e.Select(v => v / e.Sum())];
        }
        for (int i = 0; i < Pool.Length; i++)
        {
            var (pa, pb) = (Softmax(logitsA[i].Logits, Temperature), Softmax(logitsB[i].Logits, Temperature));
            for (int k = 0; k < 2; k++)
            {
                Assert.Equal((pa[k] + pb[k]) / 2, scores[i].SoftTarget[k], 5);
                // Confidence is judged at temperature 1: the mean of the teachers' own probabilities.
                Assert.Equal((logitsA[i].Scores[k] + logitsB[i].Scores[k]) / 2, scores[i].Probabilities[k], 5);
            }
        }
        // The two untrained heads differ, so the mean is neither teacher's, and T = 2 softens it.
        Assert.Contains(scores, s => Math.Abs(s.SoftTarget[1] - s.Probabilities[1]) > 1e-3);

        using var other = TextClassifier.FromPretrained("minilm-l6-uncased", ["positive", "negative"]);
        var e = Assert.Throws<ArgumentException>(() => new TeacherEnsemble([a, other]));
        Assert.Contains("teacher 2 has the labels [positive, negative], not [negative, positive]", e.Message);
        Assert.Contains("same order", e.Message);
    }

    [Fact]
    public void Each_round_s_student_is_the_only_teacher_of_the_next()
    {
        using var teacher = Teacher();
        using var fresh = MiniLM(seed: 99).With(s => s with { MaxLength = 32 });
        var once = Options() with { Training = Options().Training with { Epochs = 2 } };
        var rounds = new List<DistillationRound>();
        using var twice = new Distiller(once with { Rounds = 2 }).Distill([teacher], [], Pool, studentSource: fresh, rounds: rounds.Add);
        Assert.Equal([1, 2], rounds.Select(r => r.Round));
        Assert.All(rounds, r => Assert.Equal((Pool.Length, 4), (r.PoolTexts, r.Training!.Steps))); // 8 texts, batch 4, 2 epochs

        // The oracle: one round from the teacher, then one round whose only teacher is that round's student.
        using var first = new Distiller(once).Distill([teacher], [], Pool, studentSource: fresh);
        using var second = new Distiller(once).Distill([first], [], Pool, studentSource: fresh);
        Assert.Equal(Probabilities(second, Pool), Probabilities(twice, Pool));
        // Round 2 taught again by the first teacher would reproduce the first round's student.
        Assert.NotEqual(Probabilities(first, Pool), Probabilities(twice, Pool));
    }

    [Fact]
    public void A_student_whose_labels_differ_from_its_teacher_s_is_refused_before_any_training()
    {
        using var teacher = MiniLM(seed: 1);
        using var student = TextClassifier.FromPretrained("minilm-l6-uncased", ["negative", "neutral", "positive"]);
        int steps = 0;
        var e = Assert.Throws<ArgumentException>(() => new Distiller(Options()).Distill([teacher], [], Pool, studentSource: student, progress: new Progress(_ => steps++)));
        Assert.Contains("the student has the labels [negative, neutral, positive], not [negative, positive]", e.Message);
        Assert.Contains("distil from teachers trained with the same labels", e.Message);
        Assert.Equal(0, steps);
    }

    [Fact]
    public void A_killed_distillation_of_an_ensemble_resumes_from_its_checkpoint_to_the_same_student()
    {
        using var teacher = MiniLM(seed: 5);
        using var second = MiniLM(seed: 6);
        TextClassifier[] teachers = [teacher, second];
        using var uninterrupted = new Distiller(Options()).Distill(teachers, [], Pool);
        string folder = Directory.CreateTempSubdirectory("typedbert-distill-resume-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource();
            // Killed after the checkpoint of step 4 (of 16).
            var killer = new Progress(p => { if (p.Step >= 5) cancel.Cancel(); });
            Assert.ThrowsAny<OperationCanceledException>(() => new Distiller(Options(folder)).Distill(teachers, [], Pool, progress: killer, cancellationToken: cancel.Token));
            Assert.True(Directory.Exists(Path.Combine(folder, "distill-round-1", "checkpoint-4")));
            var rounds = new List<DistillationRound>();
            using var resumed = new Distiller(Options(folder, resume: true)).Distill(teachers, [], Pool, rounds: rounds.Add);
            Assert.Equal(Probabilities(uninterrupted, Pool), Probabilities(resumed, Pool));
            Assert.Equal("checkpoint-4", Path.GetFileName(rounds.Single().ResumedFrom));

            // Once the round has finished, a resume reads its student back instead of training again.
            rounds.Clear();
            using var again = new Distiller(Options(folder, resume: true)).Distill(teachers, [], Pool, rounds: rounds.Add);
            Assert.Null(rounds.Single().Training);
            Assert.Equal(Probabilities(uninterrupted, Pool), Probabilities(again, Pool));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Reports synchronously, unlike <see cref="Progress{T}"/>, so that the cancellation lands at the step it names.</summary>
    sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
