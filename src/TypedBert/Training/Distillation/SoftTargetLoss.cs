using System.Globalization;

namespace TypedBert.Training.Distillation;

/// <summary>
/// How a single-label student learns from a teacher's soft targets (Hinton et al., 2015): the KL divergence from the teacher's
/// distribution at <see cref="Temperature"/> to the student's, scaled by T² so that its gradients keep their size whatever T;
/// a row with a soft target weighs <see cref="Weight"/> and a row with a hard label 1 - <see cref="Weight"/> in the batch mean.
/// </summary>
/// <param name="Temperature">Softens both distributions; 1 reads the teacher's probabilities as they are.</param>
/// <param name="Weight">The share (alpha) of the soft-target term against the labelled rows' cross-entropy, in [0, 1].</param>
public sealed record SoftTargetLoss(double Temperature = 1, double Weight = 0.5)
{
    /// <summary>Checks both values; the message names the option.</summary>
    public void Validate()
    {
        if (!(Temperature > 0 && Temperature <= 100)) throw new ArgumentException($"SoftTargetLoss.Temperature must be in (0, 100], not {Temperature}");
        if (!(Weight is >= 0 and <= 1)) throw new ArgumentException($"SoftTargetLoss.Weight must be in [0, 1], not {Weight}");
    }

    /// <summary>For the run fingerprint: a resumed run must train on the same loss.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"soft targets at temperature {Temperature:R}, weight {Weight:R}");
}
