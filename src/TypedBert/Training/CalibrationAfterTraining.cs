using TypedBert.Calibration;
using TypedBert.Classification;
using TypedBert.Data;

namespace TypedBert.Training;

/// <summary><see cref="TrainingOptions.Calibrate"/>: calibration on the evaluation data once the weights are final.</summary>
internal static class CalibrationAfterTraining
{
    /// <summary>Refuses, before any training step, what calibration would refuse at the end.</summary>
    public static void Check(TextClassifier classifier, IReadOnlyList<TrainingExample>? eval)
    {
        if (eval is null) throw new ArgumentException("TrainingOptions.Calibrate fits on the evaluation data: pass evaluation rows the model is not trained on", nameof(eval));
        try
        {
            switch (classifier.ProblemType)
            {
                case ProblemType.SingleLabel: TextClassifierCalibration.CheckHeldOut(classifier, eval); break;
                case ProblemType.MultiLabel: TextClassifierThresholds.CheckHeldOut(classifier, eval); break;
                default: throw new ArgumentException($"calibration is for single-label (a temperature) and multi-label (thresholds) models; this one is {classifier.ProblemType}");
            }
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"TrainingOptions.Calibrate on the evaluation data: {e.Message.Split(" (Parameter")[0]}", nameof(eval), e);
        }
    }

    /// <summary>Calibrates the trained <paramref name="classifier"/> on <paramref name="eval"/> and applies the result to it.</summary>
    public static TrainingResult Apply(TextClassifier classifier, IReadOnlyList<TrainingExample> eval, TrainingResult result)
    {
        if (classifier.ProblemType == ProblemType.MultiLabel)
        {
            var thresholds = classifier.CalibrateThresholds(eval);
            thresholds.ApplyTo(classifier);
            return result with { Thresholds = thresholds };
        }
        var temperature = classifier.Calibrate(eval);
        temperature.ApplyTo(classifier);
        return result with { Calibration = temperature };
    }
}
