using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Cli.Errors;
using TypedBert.Cli.Reporting;
using TypedBert.Data;
using TypedBert.Training;

namespace TypedBert.Cli.Commands;

/// <summary><c>train --calibrate</c>: refused before training when the evaluation data cannot calibrate; reported beside the model after.</summary>
internal static class CalibrateAfterTraining
{
    /// <summary>Refuses --calibrate without evaluation data, or with data calibration would refuse, naming the option.</summary>
    public static void Check(TrainingOptions options, TextClassifier classifier, IReadOnlyList<TrainingExample>? eval)
    {
        if (!options.Calibrate) return;
        if (eval is null) throw CliException.Usage("--calibrate fits on the evaluation data: give --eval FILE or --eval-fraction F");
        try
        {
            switch (classifier.ProblemType)
            {
                case ProblemType.SingleLabel: TextClassifierCalibration.CheckHeldOut(classifier, eval); break;
                case ProblemType.MultiLabel: TextClassifierThresholds.CheckHeldOut(classifier, eval); break;
                default: throw CliException.Usage($"--calibrate is for single-label and multi-label models, not --problem-type {classifier.ProblemType}");
            }
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage($"--calibrate on the evaluation data: {e.Message.Split(" (Parameter")[0]}", e);
        }
    }

    /// <summary>Prints what calibration found and writes it beside the model (reliability.png, the card's section).</summary>
    public static void Report(TrainingResult run, string folder, string evalName, bool card)
    {
        if (run.Calibration is { } temperature)
        {
            Console.WriteLine(CalibrationCard.Summary(temperature));
            if (card) CalibrationCard.Write(folder, temperature, evalName);
        }
        if (run.Thresholds is { } thresholds)
        {
            Console.WriteLine(CalibrationCard.Summary(thresholds));
            if (card) CalibrationCard.Write(folder, thresholds, evalName);
        }
    }
}
