namespace TypedBert.Training.Distillation;

/// <summary>Which scored pool texts a student trains on: confidence filtering, then class balancing.</summary>
/// <param name="MinConfidence">Drops texts whose teacher confidence (the favoured label's mean probability) is below this; 0 keeps all.</param>
/// <param name="MaxPerLabel">Keeps at most this many texts per favoured label, the most confident first; null: no cap.</param>
/// <param name="Balance">Caps every favoured label at the count of the rarest one, so that the soft targets do not tilt the student
/// towards the label the teacher favours most.</param>
public sealed record PoolSelection(double MinConfidence = 0, int? MaxPerLabel = null, bool Balance = false)
{
    /// <summary>Checks the values; the message names the option.</summary>
    public void Validate()
    {
        if (!(MinConfidence is >= 0 and < 1)) throw new ArgumentException($"MinConfidence must be in [0, 1), not {MinConfidence}");
        if (MaxPerLabel is < 1) throw new ArgumentException($"MaxPerLabel must be at least 1, not {MaxPerLabel}");
    }

    /// <summary>The texts kept, in pool order.</summary>
    public IReadOnlyList<TeacherScore> Apply(IReadOnlyList<TeacherScore> scored, int labels)
    {
        var confident = scored.Select((s, i) => (Score: s, Index: i)).Where(x => x.Score.Confidence >= MinConfidence).ToList();
        var byLabel = Enumerable.Range(0, labels).Select(l => confident.Where(x => x.Score.LabelId == l).OrderByDescending(x => x.Score.Confidence).ToList()).ToList();
        int cap = MaxPerLabel ?? int.MaxValue;
        if (Balance) cap = Math.Min(cap, byLabel.Min(l => l.Count));
        return [.. byLabel.SelectMany(l => l.Take(cap)).OrderBy(x => x.Index).Select(x => x.Score)];
    }
}
