using System.Globalization;
using TypedBert.Cli.Commands;
using TypedBert.Training;

namespace TypedBert.Cli.Terminal;

/// <summary>The words both progress views use, so a log and a terminal read the same.</summary>
internal static class ProgressText
{
    /// <summary>Optimizer steps in one epoch (the trainer plans the same number for every epoch).</summary>
    public static int StepsPerEpoch(TrainingProgress p) => Math.Max(1, p.TotalSteps / Math.Max(1, p.Epochs));

    /// <summary>Steps done within the current epoch.</summary>
    public static int StepInEpoch(TrainingProgress p) => Math.Clamp(p.Step - (p.Epoch - 1) * StepsPerEpoch(p), 0, StepsPerEpoch(p));

    /// <summary>Whether <paramref name="p"/> is the report that closes its epoch.</summary>
    public static bool EndsEpoch(TrainingProgress p) => p.Evaluation is not null || p.Step >= p.Epoch * StepsPerEpoch(p);

    /// <summary>Loss, learning rate, speed and time left.</summary>
    public static string Figures(TrainingProgress p) =>
        $"loss {Report.F(p.Loss)}  lr {LearningRate(p.LearningRate)}  {Report.F(p.ExamplesPerSecond, "0.0")} examples/s  " +
        $"elapsed {Report.Duration(p.Elapsed)}  eta {Report.Duration(p.Remaining)}";

    /// <summary>One full line: epoch, step, figures and the evaluation when the report has one.</summary>
    public static string Line(TrainingProgress p) =>
        $"epoch {p.Epoch}/{p.Epochs}  step {p.Step}/{p.TotalSteps}  {Figures(p)}" + (p.Evaluation is null ? "" : $"  eval: {p.Evaluation}");

    public static string LearningRate(double value) => value.ToString("0.00e0", CultureInfo.InvariantCulture);
}
