using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Training.FewShot;

/// <summary>Two training examples and whether they should embed alike (1) or apart (0).</summary>
/// <param name="First">Index of the first example.</param>
/// <param name="Second">Index of the second example.</param>
/// <param name="Similarity">The target cosine similarity: 1 for a positive pair, 0 for a negative one.</param>
public readonly record struct ContrastivePair(int First, int Second, float Similarity);

/// <summary>
/// SetFit's pair sampling: in each iteration every example gets one partner of its own class (positive) and one of another class
/// (negative), drawn at random, seeded. For multi-label examples a positive partner shares at least one label and a negative
/// partner shares none, as SetFit's multi-label sampling does.
/// </summary>
public static class ContrastivePairs
{
    /// <summary>
    /// Whether two examples (by index) belong together: the same label, or for multi-label examples at least one shared label.
    /// </summary>
    public static Func<int, int, bool> Alike(IReadOnlyList<TrainingExample> examples, ProblemType problemType) =>
        problemType == ProblemType.MultiLabel
            ? (a, b) => examples[a].Target.Zip(examples[b].Target, (x, y) => x > 0.5f && y > 0.5f).Any(shared => shared)
            : (a, b) => examples[a].LabelId == examples[b].LabelId;

    /// <summary>The pairs for <paramref name="examples"/>, in sampling order.</summary>
    /// <exception cref="ArgumentException">Regression examples (they have no classes), or fewer than two classes represented.</exception>
    public static List<ContrastivePair> Sample(IReadOnlyList<TrainingExample> examples, ProblemType problemType, int iterations, Random random)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(random);
        if (problemType == ProblemType.Regression)
            throw new ArgumentException("few-shot training pairs examples by class; a regression target has none (use Trainer)");
        var alike = Alike(examples, problemType);
        var positives = new List<int>[examples.Count];
        var negatives = new List<int>[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            positives[i] = [];
            negatives[i] = [];
            for (int j = 0; j < examples.Count; j++)
                if (j != i) (alike(i, j) ? positives[i] : negatives[i]).Add(j);
        }
        if (negatives.All(n => n.Count == 0))
            throw new ArgumentException($"all {examples.Count} examples belong to the same class; few-shot training needs examples of at least two classes");

        var pairs = new List<ContrastivePair>(2 * iterations * examples.Count);
        for (int iteration = 0; iteration < iterations; iteration++)
            for (int i = 0; i < examples.Count; i++)
            {
                // An example alone in its class has no positive partner; it still gets negatives.
                if (positives[i].Count > 0) pairs.Add(new ContrastivePair(i, positives[i][random.Next(positives[i].Count)], 1f));
                if (negatives[i].Count > 0) pairs.Add(new ContrastivePair(i, negatives[i][random.Next(negatives[i].Count)], 0f));
            }
        return pairs;
    }
}
