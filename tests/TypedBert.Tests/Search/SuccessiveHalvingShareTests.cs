using TypedBert.Search;
using TypedBert.Search.Pruning;

namespace TypedBert.Tests.Search;

/// <summary>
/// How many trials a rung keeps, for reduction factors other than 2: the best floor(n / F) of the n values recorded there (at least
/// one), as Optuna's ASHA does. Each case is worked out by hand: n values, the new trial's rank among them, and whether it is pruned.
/// </summary>
public sealed class SuccessiveHalvingShareTests
{
    [Theory]
    // F = 3: floor(4/3) = 1, floor(5/3) = 1, floor(6/3) = 2, floor(8/3) = 2, floor(9/3) = 3 (ceil would keep 2, 2, 2, 3, 3).
    [InlineData(3, 2, 1, false)]
    [InlineData(3, 2, 2, true)]
    [InlineData(3, 4, 1, false)]
    [InlineData(3, 4, 2, true)]
    [InlineData(3, 5, 2, true)]
    [InlineData(3, 6, 2, false)]
    [InlineData(3, 6, 3, true)]
    [InlineData(3, 8, 3, true)]
    [InlineData(3, 9, 3, false)]
    [InlineData(3, 9, 4, true)]
    // F = 4: floor(5/4) = 1, floor(7/4) = 1, floor(8/4) = 2, floor(11/4) = 2, floor(12/4) = 3 (ceil: 2, 2, 2, 3, 3).
    [InlineData(4, 3, 2, true)]
    [InlineData(4, 5, 2, true)]
    [InlineData(4, 7, 2, true)]
    [InlineData(4, 8, 2, false)]
    [InlineData(4, 8, 3, true)]
    [InlineData(4, 11, 3, true)]
    [InlineData(4, 12, 3, false)]
    [InlineData(4, 12, 4, true)]
    public void A_rung_of_n_values_keeps_the_best_floor_of_n_over_the_factor(int factor, int n, int rank, bool pruned)
    {
        var pruner = new SuccessiveHalvingPruner(minResource: 1, reductionFactor: factor);
        // Earlier trials recorded 1, 2, ..., n-1 at step 1; the new value n - rank + 0.5 has exactly rank - 1 of them above it.
        var earlier = Enumerable.Range(1, n - 1).Select(v => Completed(v, v)).ToArray();
        double own = n - rank + 0.5;
        Assert.Equal(pruned, pruner.ShouldPrune([new(1, own)], earlier, StudyDirection.Maximize));

        // Minimizing the negated values makes the same decision.
        var mirrored = Enumerable.Range(1, n - 1).Select(v => Completed(v, -v)).ToArray();
        Assert.Equal(pruned, pruner.ShouldPrune([new(1, -own)], mirrored, StudyDirection.Minimize));
    }

    [Fact]
    public void Each_rung_judges_its_own_share_and_a_trial_pruned_at_a_later_rung_was_promoted_at_the_first()
    {
        // F = 3, rungs at steps 1 and 3. Six earlier trials at step 1 (values 1..6), three of them also at step 3 (values 10, 20, 30).
        var pruner = new SuccessiveHalvingPruner(minResource: 1, reductionFactor: 3);
        var earlier = Enumerable.Range(1, 6).Select(v => v <= 3
            ? Completed(v, v)
            : new Trial(v, TrialState.Complete, new TrialParameters([]), v, [new(1, v), new(3, v * 10 - 30)], 1)).ToArray();
        // Step 1: 6.5 is the best of 7 values (floor(7/3) = 2 kept); step 3: 25 is second of 4 (floor(4/3) = 1 kept): pruned there.
        Assert.False(pruner.ShouldPrune([new(1, 6.5)], earlier, StudyDirection.Maximize));
        Assert.True(pruner.ShouldPrune([new(1, 6.5), new(3, 25)], earlier, StudyDirection.Maximize));
        Assert.False(pruner.ShouldPrune([new(1, 6.5), new(3, 35)], earlier, StudyDirection.Maximize));
        // 5.5 is second of 7 at step 1 (two kept): goes on; 4.5 is third: pruned at the first rung whatever it does later.
        Assert.False(pruner.ShouldPrune([new(1, 5.5)], earlier, StudyDirection.Maximize));
        Assert.True(pruner.ShouldPrune([new(1, 4.5), new(3, 99)], earlier, StudyDirection.Maximize));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_by_name_and_the_early_stopping_rate_raises_every_rung()
    {
        Assert.Equal("minResource", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(minResource: 0)).ParamName);
        Assert.Equal("reductionFactor", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(reductionFactor: 1)).ParamName);
        Assert.Equal("minEarlyStoppingRate", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(minEarlyStoppingRate: -1)).ParamName);
        Assert.Contains("at least 2, not 1", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(reductionFactor: 1)).Message);
        Assert.Contains("at least 1 step, not 0", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(minResource: 0)).Message);
        Assert.Contains("must not be negative, not -1", Assert.Throws<ArgumentException>(() => new SuccessiveHalvingPruner(minEarlyStoppingRate: -1)).Message);
        Assert.Equal("none", new NoPruner().Describe());
        // Rate 1 with factor 3 from 2 steps: rungs at 2·3, 2·9, 2·27.
        var raised = new SuccessiveHalvingPruner(minResource: 2, reductionFactor: 3, minEarlyStoppingRate: 1);
        Assert.Equal([6L, 18L, 54L], Enumerable.Range(0, 3).Select(raised.RungStep));
        Assert.Equal("successive halving, rungs at 6, 18, 54, ... steps, keeping 1 in 3", raised.Describe());
        // Nothing reported yet: nothing to judge.
        Assert.False(raised.ShouldPrune([], [], StudyDirection.Maximize));
    }

    static Trial Completed(int number, double value) =>
        new(number, TrialState.Complete, new TrialParameters([]), value, [new IntermediateValue(1, value)], 1);
}
