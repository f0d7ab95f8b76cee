using TypedBert.Calibration;
using TypedBert.Metrics;

namespace TypedBert.Training;

/// <summary>A progress report during training.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="Epoch">Current epoch, from 1.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Loss">Mean training loss since the previous report.</param>
/// <param name="LearningRate">Learning rate of the last step.</param>
/// <param name="ExamplesPerSecond">Training throughput since the start, evaluation time excluded.</param>
/// <param name="Elapsed">Time since the start.</param>
/// <param name="Remaining">Estimated training time left (evaluations not included), from the pace so far.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, int Epoch, int Epochs, double Loss, double LearningRate,
    double ExamplesPerSecond, TimeSpan Elapsed, TimeSpan Remaining)
{
    /// <summary>Set on the report at the end of an epoch that was evaluated.</summary>
    public EvaluationResult? Evaluation { get; init; }
}

/// <summary>Loss and metrics on evaluation data.</summary>
public sealed record EvaluationResult(double Loss, ClassificationReport? Classification, MultiLabelReport? MultiLabel, RegressionReport? Regression)
{
    /// <summary>The figure named by <paramref name="metric"/>, oriented so that larger is better.</summary>
    public double Score(BestModelMetric metric) => metric switch
    {
        BestModelMetric.Loss => -Loss,
        BestModelMetric.Accuracy => Classification?.Accuracy ?? MultiLabel?.SubsetAccuracy ?? -Loss,
        BestModelMetric.MacroF1 => Classification?.MacroF1 ?? MultiLabel?.MacroF1 ?? -Loss,
        BestModelMetric.MicroF1 => Classification?.MicroF1 ?? MultiLabel?.MicroF1 ?? -Loss,
        _ => Classification?.Accuracy ?? MultiLabel?.SubsetAccuracy ?? -Loss,
    };

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        Classification is not null ? $"loss {Loss:0.0000}, accuracy {Classification.Accuracy:P2}, macro F1 {Classification.MacroF1:0.0000}"
        : MultiLabel is not null ? $"loss {Loss:0.0000}, subset accuracy {MultiLabel.SubsetAccuracy:P2}, micro F1 {MultiLabel.MicroF1:0.0000}, Hamming loss {MultiLabel.HammingLoss:0.0000}"
        : $"loss {Loss:0.0000}, MSE {Regression!.MeanSquaredError:0.0000}, MAE {Regression.MeanAbsoluteError:0.0000}";
}

/// <summary>One epoch's figures.</summary>
/// <param name="Epoch">From 1.</param>
/// <param name="TrainingLoss">Mean training loss of the epoch.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Evaluation">Evaluation after the epoch, when evaluation data was given.</param>
/// <param name="Elapsed">Time since the start of training.</param>
public sealed record EpochSummary(int Epoch, double TrainingLoss, double LearningRate, EvaluationResult? Evaluation, TimeSpan Elapsed);

/// <summary>What a training run did.</summary>
/// <param name="Epochs">Per-epoch figures.</param>
/// <param name="BestEpoch">The epoch whose weights the model holds at the end (the last one without evaluation).</param>
/// <param name="StoppedEarly">Whether early stopping ended the run.</param>
/// <param name="Steps">Optimizer steps taken.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="ExamplesPerSecond">Training throughput, evaluation time excluded.</param>
public sealed record TrainingResult(IReadOnlyList<EpochSummary> Epochs, int BestEpoch, bool StoppedEarly, int Steps, TimeSpan Elapsed, double ExamplesPerSecond)
{
    /// <summary>Where the training steps' time went, phase by phase.</summary>
    public StepTimings Timings { get; init; } = StepTimings.Zero;

    /// <summary>With <see cref="TrainingOptions.Calibrate"/> on a single-label model: the temperature fitted on the evaluation data.</summary>
    public CalibrationReport? Calibration { get; init; }

    /// <summary>With <see cref="TrainingOptions.Calibrate"/> on a multi-label model: the thresholds chosen on the evaluation data.</summary>
    public ThresholdReport? Thresholds { get; init; }
}
