namespace TypedBert.Data;

/// <summary>One text (or text pair) with its target, in the form the trainer consumes.</summary>
public sealed record TrainingExample
{
    TrainingExample(string text, string? textPair, int labelId, float[] target)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
        TextPair = textPair;
        LabelId = labelId;
        Target = target;
    }

    /// <summary>The text.</summary>
    public string Text { get; }

    /// <summary>The second text of a pair, or null.</summary>
    public string? TextPair { get; }

    /// <summary>The label id (single-label), or -1.</summary>
    public int LabelId { get; }

    /// <summary>Multi-hot targets (multi-label) or values (regression); empty for single-label.</summary>
    public float[] Target { get; }

    /// <summary>
    /// A teacher's probabilities over the labels (single-label distillation), at the temperature the student trains with; null for a
    /// plain example. A row with both a label and a soft target is trained on both.
    /// </summary>
    public float[]? SoftTarget { get; private init; }

    /// <summary>A single-label example.</summary>
    public static TrainingExample ForLabel(string text, int labelId, string? textPair = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(labelId);
        return new(text, textPair, labelId, []);
    }

    /// <summary>
    /// A single-label example without a label, trained on <paramref name="probabilities"/> (a teacher's distribution over the labels, at the
    /// temperature of <see cref="Training.TrainingOptions.SoftTargetLoss"/>).
    /// </summary>
    /// <exception cref="ArgumentException">A probability is negative or not finite, or they do not sum to 1.</exception>
    public static TrainingExample ForSoftTarget(string text, float[] probabilities, string? textPair = null) =>
        new(text, textPair, -1, []) { SoftTarget = CheckDistribution(probabilities) };

    /// <summary>This example with <paramref name="probabilities"/> as its soft target as well.</summary>
    public TrainingExample WithSoftTarget(float[] probabilities) => this with { SoftTarget = CheckDistribution(probabilities) };

    static float[] CheckDistribution(float[] probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        if (probabilities.Length == 0 || probabilities.Any(p => !float.IsFinite(p) || p < 0) || Math.Abs(probabilities.Sum() - 1) > 1e-3)
            throw new ArgumentException($"a soft target is a probability per label that sums to 1, not [{string.Join(", ", probabilities)}]", nameof(probabilities));
        return [.. probabilities];
    }

    /// <summary>A multi-label example: <paramref name="labelIds"/> are the labels that apply, out of <paramref name="labelCount"/>.</summary>
    public static TrainingExample ForLabels(string text, IEnumerable<int> labelIds, int labelCount, string? textPair = null)
    {
        var target = new float[labelCount];
        foreach (int id in labelIds)
        {
            if (id < 0 || id >= labelCount) throw new ArgumentOutOfRangeException(nameof(labelIds), id, $"label ids must be in 0..{labelCount - 1}");
            target[id] = 1;
        }
        return new(text, textPair, -1, target);
    }

    /// <summary>A regression example.</summary>
    public static TrainingExample ForValues(string text, float[] values, string? textPair = null) => new(text, textPair, -1, values);
}
