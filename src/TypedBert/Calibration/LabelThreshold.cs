namespace TypedBert.Calibration;

/// <summary>The threshold chosen for one label of a multi-label model, and what it did on the held-out rows.</summary>
/// <param name="Label">The label's name.</param>
/// <param name="Positives">Held-out rows the label applies to.</param>
/// <param name="Threshold">The probability at or above which the label is chosen.</param>
/// <param name="F1Before">The label's F1 on the rows with the model's thresholds before (its own, else 0.5).</param>
/// <param name="F1After">The label's F1 with <paramref name="Threshold"/> (on the rows it was chosen on, so an optimistic figure).</param>
public sealed record LabelThreshold(string Label, int Positives, float Threshold, double F1Before, double F1After);
