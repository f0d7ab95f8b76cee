using TypedBert.Classification.Problems;

namespace TypedBert.Classification;

/// <summary>One label with its score.</summary>
/// <param name="Label">The label's name.</param>
/// <param name="Id">The label's id.</param>
/// <param name="Score">Probability (classification) or predicted value (regression).</param>
public readonly record struct LabelScore(string Label, int Id, float Score);

/// <summary>What the classifier says about one text.</summary>
public sealed class Prediction
{
    readonly IReadOnlyList<string> labelNames;
    readonly IReadOnlyList<float>? thresholds;

    internal Prediction(ProblemType problemType, IReadOnlyList<string> labelNames, float[] logits, float[] scores, IReadOnlyList<float>? thresholds, int windows)
    {
        ProblemType = problemType;
        this.labelNames = labelNames;
        this.thresholds = thresholds;
        Logits = logits;
        Scores = scores;
        Windows = windows;
        LabelId = Array.IndexOf(scores, scores.Max());
    }

    /// <summary>What the head predicts.</summary>
    public ProblemType ProblemType { get; }

    /// <summary>Raw head outputs, one per label (aggregated over windows for long text).</summary>
    public float[] Logits { get; }

    /// <summary>Probabilities (softmax for single-label, sigmoid per label for multi-label) or values (regression), in label-id order.</summary>
    public float[] Scores { get; }

    /// <summary>How many windows of the text were read (1 unless a sliding window split it).</summary>
    public int Windows { get; }

    /// <summary>Id of the highest-scoring label.</summary>
    public int LabelId { get; }

    /// <summary>Name of the highest-scoring label.</summary>
    public string Label => labelNames[LabelId];

    /// <summary>Score of the highest-scoring label.</summary>
    public float Confidence => Scores[LabelId];

    /// <summary>Every label, best first.</summary>
    public IReadOnlyList<LabelScore> Ranked => [.. Scores.Select((s, i) => new LabelScore(labelNames[i], i, s)).OrderByDescending(s => s.Score)];

    /// <summary>The <paramref name="k"/> best labels.</summary>
    public IReadOnlyList<LabelScore> Top(int k) => [.. Ranked.Take(k)];

    /// <summary>Multi-label: every label whose probability reaches its threshold (0.5 unless the model sets one).</summary>
    public IReadOnlyList<string> Labels(float? threshold = null) =>
        [.. ProblemStrategy.For(ProblemType).Decide(Scores, thresholds, threshold).Select((chosen, i) => (chosen, i)).Where(x => x.chosen)
            .Select(x => labelNames[x.i])];

    /// <summary>The score of the label named <paramref name="label"/>.</summary>
    public float ScoreOf(string label)
    {
        for (int i = 0; i < labelNames.Count; i++)
            if (labelNames[i] == label) return Scores[i];
        throw new KeyNotFoundException($"no label \"{label}\" (labels: {string.Join(", ", labelNames)})");
    }

    /// <inheritdoc />
    public override string ToString() => ProblemType == ProblemType.Regression
        ? string.Join(", ", Scores.Select((s, i) => $"{labelNames[i]}: {s:0.####}"))
        : string.Join(", ", Ranked.Select(s => $"{s.Label}: {s.Score:P2}"));
}
