using TypedBert.Search;
using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;

namespace TypedBert.Tests.Search;

/// <summary>Successive halving on made-up learning curves, with every promotion and pruning worked out by hand; no training.</summary>
public sealed class PrunerTests
{
    /// <summary>
    /// Evaluation values per epoch of five trials. With a reduction factor of 2 the rungs sit at epochs 1, 2 and 4:
    /// 0: first at every rung, goes on everywhere. 1: 0.40 at epoch 1 against {0.50}; 2 values keep 1, so pruned.
    /// 2: 0.55 against {0.50, 0.40} keeps 1, the best: goes on; at epoch 2 0.58 against {0.60} (trial 1 never reached it): pruned.
    /// 3: 0.45 against {0.50, 0.40, 0.55}: 4 values keep 2, threshold 0.50: pruned.
    /// 4: 0.52 against 4 others: 5 keep 2, threshold 0.52 (its own value is second): goes on; epoch 2 0.65 against {0.60, 0.58}: best;
    ///    epoch 4 0.90 against {0.80}: best. Complete.
    /// </summary>
    static readonly double[][] Curves =
    [
        [0.50, 0.60, 0.70, 0.80],
        [0.40, 0.70, 0.80, 0.95],
        [0.55, 0.58, 0.60, 0.62],
        [0.45, 0.90, 0.90, 0.90],
        [0.52, 0.65, 0.66, 0.90],
    ];

    static StudyState Run(IPruner pruner, StudyDirection direction, Func<double, double> transform)
    {
        var space = new SearchSpace([new UniformDimension("x", 0, 1)]);
        var study = new Study(space, new RandomSampler(0), pruner, direction);
        return study.Optimize(run =>
        {
            var curve = Curves[run.Number];
            for (int epoch = 1; epoch <= curve.Length; epoch++)
            {
                run.Report(epoch, transform(curve[epoch - 1]));
                if (epoch < curve.Length && run.ShouldPrune()) break;
            }
            return run.Intermediate.Max(v => v.Value);
        }, new SearchBudget(Trials: Curves.Length));
    }

    [Fact]
    public void Successive_halving_promotes_the_top_share_at_each_rung_and_prunes_the_rest()
    {
        var state = Run(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2), StudyDirection.Maximize, v => v);
        Assert.Equal([TrialState.Complete, TrialState.Pruned, TrialState.Pruned, TrialState.Pruned, TrialState.Complete], state.Trials.Select(t => t.State));
        Assert.Equal([4, 1, 2, 1, 4], state.Trials.Select(t => t.Intermediate.Count));  // epochs each trial ran
        Assert.Equal(4, state.Best!.Number);                                              // trial 1 reached 0.95, but was pruned first
        Assert.Null(state.Trials[1].Value);
    }

    [Fact]
    public void Minimizing_a_loss_makes_the_same_decisions_on_the_mirrored_curves()
    {
        var state = Run(new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 2), StudyDirection.Minimize, v => 1 - v);
        Assert.Equal([4, 1, 2, 1, 4], state.Trials.Select(t => t.Intermediate.Count));
    }

    [Fact]
    public void Without_a_pruner_every_trial_runs_every_epoch_and_the_best_final_value_wins()
    {
        var state = Run(new NoPruner(), StudyDirection.Maximize, v => v);
        Assert.All(state.Trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(1, state.Best!.Number);
    }

    [Fact]
    public void Rungs_start_at_the_minimum_resource_and_a_value_reported_later_counts_for_a_rung_it_skipped()
    {
        var pruner = new SuccessiveHalvingPruner(minResource: 2, reductionFactor: 3);
        Assert.Equal([2, 6, 18], Enumerable.Range(0, 3).Select(pruner.RungStep));
        Trial Earlier(int number, params (int Step, double Value)[] values) =>
            new(number, TrialState.Complete, new TrialParameters([]), values[^1].Value, [.. values.Select(v => new IntermediateValue(v.Step, v.Value))], 1);
        Trial[] earlier = [Earlier(0, (1, 0.9), (3, 0.5))];    // reported at steps 1 and 3: its rung-0 value (step 2) is 0.5
        Assert.False(pruner.ShouldPrune([new(1, 0.1)], earlier, StudyDirection.Maximize));  // before the first rung nothing is judged
        Assert.True(pruner.ShouldPrune([new(1, 0.1), new(2, 0.4)], earlier, StudyDirection.Maximize));
        Assert.False(pruner.ShouldPrune([new(1, 0.1), new(2, 0.6)], earlier, StudyDirection.Maximize));
        Assert.True(pruner.ShouldPrune([new(1, double.NaN)], earlier, StudyDirection.Maximize));
    }
}
