namespace TypedBert.Training.Distillation;

/// <summary>Which scored pool texts a student trains on: confidence filtering, then class balancing.</summary>
/// <param name="MinConfidence">Drops texts whose teacher confidence (the favoured label's mean probability) is below this; 0 keeps all.</param>
/// <param name="MaxPerLabel">Keeps at most this many texts per favoured label, the most confident first; null: no cap.</param>
/// <param name="Balance">Caps every favoured label at the count of the rarest one, so that the soft targets do not tilt the student
/// towards the label the teacher favours most.</param>
public sealed record PoolSelection(double MinConfidence = 0, int? MaxPerLabel = null, bool Balance = false)
{
    /// <summary>
    /// After the confidence floor, the cap and balancing: keeps this share of each favoured label's texts, the most confident first
    /// (rounded up), so that the floor adapts to each label's and each teacher's own confidence scale; 1 keeps them all.
    /// </summary>
    public double KeepFraction { get; init; } = 1;

    /// <summary>Checks the values; the message names the option.</summary>
    public void Validate()
    {
        if (!(MinConfidence is >= 0 and < 1)) throw new ArgumentException($"MinConfidence must be in [0, 1), not {MinConfidence}");
        if (MaxPerLabel is < 1) throw new ArgumentException($"MaxPerLabel must be at least 1, not {MaxPerLabel}");
        if (!(KeepFraction is > 0 and <= 1)) throw new ArgumentException($"KeepFraction must be in (0, 1], not {KeepFraction}");
    }

    /// <summary>The texts kept, in pool order.</summary>
    public IReadOnlyList<TeacherScore> Apply(IReadOnlyList<TeacherScore> scored, int labels)
    {
        var confident = scored.Select((s, i) => (Score: s, Index: i)).Where(x => x.Score.Confidence >= MinConfidence).ToList();
        var byLabel = Enumerable.Range(0, labels).Select(l => confident.Where(x => x.Score.LabelId == l).OrderByDescending(x => x.Score.Confidence).ToList()).ToList();
        int cap = MaxPerLabel ?? int.MaxValue;
        if (Balance) cap = Math.Min(cap, byLabel.Min(l => l.Count));
        return [.. byLabel.Select(l => l.Take(cap).ToList()).SelectMany(l => l.Take((int)Math.Ceiling(l.Count * KeepFraction)))
            .OrderBy(x => x.Index).Select(x => x.Score)];
    }
}
