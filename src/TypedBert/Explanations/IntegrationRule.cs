namespace TypedBert.Explanations;

/// <summary>How integrated gradients approximates the path integral from the baseline to the text with its steps.</summary>
public enum IntegrationRule
{
    /// <summary>Gauss-Legendre nodes on [0, 1]: exact for polynomials of degree 2·steps − 1, so few steps reach completeness.</summary>
    GaussLegendre,

    /// <summary>The trapezoid rule on evenly spaced points including both ends (one step: the midpoint).</summary>
    Trapezoid,
}
