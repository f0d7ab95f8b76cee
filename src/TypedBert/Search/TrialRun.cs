using TypedBert.Search.Pruning;

namespace TypedBert.Search;

/// <summary>
/// A trial while it runs, handed to the objective: its number and parameters, and the channel through which it reports intermediate
/// values and asks whether to stop (Optuna's <c>trial.report</c> and <c>trial.should_prune</c>).
/// </summary>
internal sealed class TrialRun
{
    readonly List<IntermediateValue> intermediate = [];
    readonly IPruner pruner;
    readonly IReadOnlyList<Trial> earlier;
    readonly StudyDirection direction;

    internal TrialRun(int number, TrialParameters parameters, IPruner pruner, IReadOnlyList<Trial> earlier, StudyDirection direction)
    {
        Number = number;
        Parameters = parameters;
        this.pruner = pruner;
        this.earlier = earlier;
        this.direction = direction;
    }

    /// <summary>The trial's number in the study, from 0.</summary>
    public int Number { get; }

    /// <summary>The values to try.</summary>
    public TrialParameters Parameters { get; }

    /// <summary>The values reported so far.</summary>
    public IReadOnlyList<IntermediateValue> Intermediate => intermediate;

    /// <summary>Whether <see cref="ShouldPrune"/> has said to stop; the study then records the trial as pruned.</summary>
    public bool Pruned { get; private set; }

    /// <summary>Records the objective's value at <paramref name="step"/> (steps must increase).</summary>
    public void Report(int step, double value)
    {
        if (intermediate.Count > 0 && step <= intermediate[^1].Step)
            throw new ArgumentException($"step {step} was reported after step {intermediate[^1].Step}; report each step once, in order", nameof(step));
        intermediate.Add(new IntermediateValue(step, value));
    }

    /// <summary>Whether the trial should stop now, judged on the values reported so far against the earlier trials'.</summary>
    public bool ShouldPrune()
    {
        if (pruner.ShouldPrune(intermediate, earlier, direction)) Pruned = true;
        return Pruned;
    }
}
