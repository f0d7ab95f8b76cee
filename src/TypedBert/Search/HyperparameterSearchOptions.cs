using TypedBert.Search.Pruning;
using TypedBert.Search.Sampling;
using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>How a <see cref="HyperparameterSearch"/> runs; each default is what <c>typedbert tune</c> uses.</summary>
public sealed record HyperparameterSearchOptions
{
    /// <summary>
    /// The options every trial starts from (maximum length, grouping by length, threads, weight averaging, ...); the trial's parameters
    /// replace the options they name. Trials write no checkpoints: a search resumes trial by trial.
    /// </summary>
    public TrainingOptions BaseOptions { get; init; } = new();

    /// <summary>Picks each trial's point; a scrambled Halton sequence spreads a few trials evenly.</summary>
    public ISampler Sampler { get; init; } = new HaltonSampler(0);

    /// <summary>Stops weak trials after an epoch; successive halving with rungs at epochs 1, 3, 9.</summary>
    public IPruner Pruner { get; init; } = new SuccessiveHalvingPruner();

    /// <summary>When the search stops.</summary>
    public SearchBudget Budget { get; init; } = new(Trials: 20);

    /// <summary>The evaluation figure that is maximized (or, for the loss and for regression, minimized), also each trial's best-epoch metric.</summary>
    public BestModelMetric Metric { get; init; } = BestModelMetric.Default;

    /// <summary>The study's state file (<c>study.json</c>), written after every trial; null keeps the state in memory only.</summary>
    public string? StatePath { get; init; }

    /// <summary>Continue the search saved in <see cref="StatePath"/>; without it an existing state is refused rather than overwritten.</summary>
    public bool Resume { get; init; }

    /// <summary>Where each trial's classifier lives; the CPU when null.</summary>
    public TorchSharp.torch.Device? Device { get; init; }
}
