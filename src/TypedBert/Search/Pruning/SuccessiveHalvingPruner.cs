namespace TypedBert.Search.Pruning;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2020, "A System for Massively Parallel Hyperparameter Tuning"), as Optuna's
/// <c>SuccessiveHalvingPruner</c> does it. Rung k sits at step <c>minResource * reductionFactor^(minEarlyStoppingRate + k)</c>
/// (epochs 1, 3, 9 by default). A trial that reaches a rung records its value there (the first value reported at or after that step)
/// and goes on only if that value is among the best 1/reductionFactor of the values every trial so far recorded at the rung, its own
/// included; while a rung holds fewer than reductionFactor values, only the best of them goes on.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    /// <summary>Rungs from <paramref name="minResource"/> steps, keeping the best 1/<paramref name="reductionFactor"/> at each.</summary>
    /// <exception cref="ArgumentException">A setting out of range; the message names it.</exception>
    public SuccessiveHalvingPruner(int minResource = 1, int reductionFactor = 3, int minEarlyStoppingRate = 0)
    {
        if (minResource < 1) throw new ArgumentException($"the pruner's minimum resource must be at least 1 step, not {minResource}", nameof(minResource));
        if (reductionFactor < 2) throw new ArgumentException($"the pruner's reduction factor must be at least 2, not {reductionFactor}", nameof(reductionFactor));
        if (minEarlyStoppingRate < 0) throw new ArgumentException($"the pruner's minimum early-stopping rate must not be negative, not {minEarlyStoppingRate}", nameof(minEarlyStoppingRate));
        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
    }

    /// <summary>Steps before the first rung.</summary>
    public int MinResource { get; }

    /// <summary>One in this many values at a rung goes on.</summary>
    public int ReductionFactor { get; }

    /// <summary>Raises every rung by this power of the reduction factor.</summary>
    public int MinEarlyStoppingRate { get; }

    /// <summary>The step of rung <paramref name="rung"/> (from 0).</summary>
    public long RungStep(int rung) => MinResource * (long)Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung);

    /// <inheritdoc/>
    public bool ShouldPrune(IReadOnlyList<IntermediateValue> current, IReadOnlyList<Trial> earlier, StudyDirection direction)
    {
        if (current.Count == 0) return false;
        if (double.IsNaN(current[^1].Value)) return true;
        int step = current[^1].Step;
        for (int rung = 0; RungStep(rung) <= step; rung++)
        {
            double own = ValueAt(current, RungStep(rung))!.Value;
            var competing = earlier.Select(t => ValueAt(t.Intermediate, RungStep(rung))).OfType<double>().Append(own).ToList();
            if (!Promotable(own, competing, direction)) return true;
        }
        return false;
    }

    /// <summary>The value a trial recorded at the rung at <paramref name="rungStep"/>: its first value reported at or after it.</summary>
    static double? ValueAt(IReadOnlyList<IntermediateValue> values, long rungStep) => values.FirstOrDefault(v => v.Step >= rungStep)?.Value;

    bool Promotable(double value, List<double> competing, StudyDirection direction)
    {
        // The best competing.Count / ReductionFactor values go on; with fewer values than the factor, the best one alone.
        int kept = Math.Max(1, competing.Count / ReductionFactor);
        var valid = competing.Where(v => !double.IsNaN(v));
        var ranked = direction == StudyDirection.Maximize ? valid.OrderByDescending(v => v).ToList() : valid.Order().ToList();
        double threshold = ranked[Math.Min(kept, ranked.Count) - 1];
        return direction == StudyDirection.Maximize ? value >= threshold : value <= threshold;
    }

    /// <inheritdoc/>
    public string Describe() => $"successive halving, rungs at {string.Join(", ", Enumerable.Range(0, 3).Select(RungStep))}, ... steps, keeping 1 in {ReductionFactor}";
}
