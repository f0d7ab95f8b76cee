using TypedBert.Classification;
using TypedBert.Training;

namespace TypedBert.Search;

/// <summary>What a <see cref="HyperparameterSearch"/> found.</summary>
/// <param name="Trials">Every trial, those of earlier sessions first.</param>
/// <param name="Direction">Whether larger or smaller values are better.</param>
/// <param name="MetricName">The evaluation figure compared, such as "accuracy".</param>
/// <param name="ResumedTrials">How many trials came from the saved state.</param>
/// <param name="Elapsed">Wall time of the search, across resumptions.</param>
public sealed record SearchResult(IReadOnlyList<Trial> Trials, StudyDirection Direction, string MetricName, int ResumedTrials, TimeSpan Elapsed)
{
    /// <summary>The best complete trial, or null when none completed.</summary>
    public Trial? Best => Study.BestOf(Trials, Direction);

    /// <summary>The training options of the best trial on top of <paramref name="baseOptions"/>.</summary>
    public TrainingOptions BestOptions(TrainingOptions baseOptions) =>
        TrainingSearchSpace.Apply(Best?.Parameters ?? throw new InvalidOperationException("no trial completed, so there is no best configuration"), baseOptions);

    /// <summary>The pooling strategy of the best trial, or null when the search left it to the model.</summary>
    public PoolingStrategy? BestPooling => Best is null ? null : TrainingSearchSpace.PoolingOf(Best.Parameters);
}
