using TypedBert.Classification;

namespace TypedBert.Training.Distillation;

/// <summary>
/// One or more trained single-label classifiers that score texts together: the mean of their probabilities (at a temperature for the
/// soft targets, at 1 for the confidence). Every teacher must have the student's labels, in the same order.
/// </summary>
public sealed class TeacherEnsemble
{
    /// <summary>Checks that the teachers agree on their labels and predict one label per text.</summary>
    /// <exception cref="ArgumentException">No teacher, a teacher that is not single-label, or teachers whose labels differ (names both, with the fix).</exception>
    public TeacherEnsemble(IReadOnlyList<TextClassifier> teachers)
    {
        if (teachers.Count == 0) throw new ArgumentException("distillation needs at least one teacher", nameof(teachers));
        for (int i = 0; i < teachers.Count; i++)
        {
            if (teachers[i].ProblemType != ProblemType.SingleLabel)
                throw new ArgumentException($"teacher {i + 1} is a {teachers[i].ProblemType} classifier; distillation learns single-label soft targets", nameof(teachers));
            CheckLabels(teachers[0].Labels, teachers[i].Labels, $"teacher {i + 1}");
        }
        Teachers = teachers;
    }

    /// <summary>The teachers.</summary>
    public IReadOnlyList<TextClassifier> Teachers { get; }

    /// <summary>The labels every teacher shares, in id order.</summary>
    public IReadOnlyList<string> Labels => Teachers[0].Labels;

    /// <summary>Refuses <paramref name="other"/> labels that differ from <paramref name="expected"/> in names or order.</summary>
    /// <exception cref="ArgumentException">They differ; the message lists both and the fix.</exception>
    public static void CheckLabels(IReadOnlyList<string> expected, IReadOnlyList<string> other, string who)
    {
        if (expected.SequenceEqual(other, StringComparer.Ordinal)) return;
        throw new ArgumentException($"{who} has the labels [{string.Join(", ", other)}], not [{string.Join(", ", expected)}]; "
            + "a teacher's labels must be the student's, in the same order: distil from teachers trained with the same labels");
    }

    /// <summary>
    /// Scores <paramref name="texts"/> with every teacher (in batches, through <see cref="TextClassifier.PredictBatch"/>): the mean of the
    /// teachers' softmax at <paramref name="temperature"/> (the soft targets), and the mean at temperature 1 (to judge confidence).
    /// </summary>
    /// <param name="texts">The texts.</param>
    /// <param name="temperature">Of the soft targets.</param>
    /// <param name="maxLength">Tokens read per text (each teacher's own maximum when null), as the student will train.</param>
    /// <param name="progress">Told the number of texts scored.</param>
    public IReadOnlyList<TeacherScore> Score(IReadOnlyList<string> texts, double temperature, int? maxLength = null, IProgress<int>? progress = null)
    {
        if (maxLength is not int length) return ScoreAtLength(Teachers, texts, temperature, progress);
        // Copies that read at most maxLength tokens and share each teacher's weights; the teachers keep their own settings.
        var shorter = Teachers.Select(t => t.WithSettings(t.Settings with { MaxLength = Math.Min(length, t.MaxLength) })).ToList();
        try
        {
            return ScoreAtLength(shorter, texts, temperature, progress);
        }
        finally
        {
            foreach (var teacher in shorter) teacher.Dispose();
        }
    }

    IReadOnlyList<TeacherScore> ScoreAtLength(IReadOnlyList<TextClassifier> teachers, IReadOnlyList<string> texts, double temperature, IProgress<int>? progress)
    {
        int labels = Labels.Count;
        var soft = new double[texts.Count][];
        var plain = new double[texts.Count][];
        for (int i = 0; i < texts.Count; i++) (soft[i], plain[i]) = (new double[labels], new double[labels]);
        // A chunk at a time, so that a progress report can follow a pool of thousands of texts.
        const int Chunk = 512;
        for (int start = 0; start < texts.Count; start += Chunk)
        {
            var chunk = texts.Skip(start).Take(Chunk).ToList();
            foreach (var teacher in teachers)
            {
                var predictions = teacher.PredictBatch(chunk);
                for (int j = 0; j < chunk.Count; j++)
                {
                    Add(soft[start + j], Softmax(predictions[j].Logits, temperature));
                    Add(plain[start + j], Softmax(predictions[j].Logits, 1));
                }
            }
            progress?.Report(Math.Min(texts.Count, start + Chunk));
        }
        return [.. Enumerable.Range(0, texts.Count).Select(i => new TeacherScore(texts[i],
            [.. soft[i].Select(p => (float)(p / Teachers.Count))], [.. plain[i].Select(p => (float)(p / Teachers.Count))]))];
    }

    static void Add(double[] sum, double[] values)
    {
        for (int k = 0; k < sum.Length; k++) sum[k] += values[k];
    }

    /// <summary>softmax(logits / T), with the maximum subtracted so that exp stays finite.</summary>
    internal static double[] Softmax(float[] logits, double temperature)
    {
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp((l - max) / temperature)).ToArray();
        double sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }
}

/// <summary>What the teachers say about one text.</summary>
/// <param name="Text">The text.</param>
/// <param name="SoftTarget">Mean probability per label at the distillation temperature.</param>
/// <param name="Probabilities">Mean probability per label at temperature 1.</param>
public sealed record TeacherScore(string Text, float[] SoftTarget, float[] Probabilities)
{
    /// <summary>The label the teachers favour.</summary>
    public int LabelId => Array.IndexOf(Probabilities, Probabilities.Max());

    /// <summary>The favoured label's mean probability.</summary>
    public float Confidence => Probabilities.Max();
}
