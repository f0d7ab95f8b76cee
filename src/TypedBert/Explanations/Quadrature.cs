namespace TypedBert.Explanations;

/// <summary>Points in [0, 1] and their weights, whose weighted sum of f approximates the integral of f over [0, 1].</summary>
internal static class Quadrature
{
    public static (double[] Points, double[] Weights) For(IntegrationRule rule, int steps) => rule switch
    {
        IntegrationRule.GaussLegendre => GaussLegendre(steps),
        IntegrationRule.Trapezoid => Trapezoid(steps),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>Evenly spaced points with both ends at half weight; a single point is the midpoint.</summary>
    public static (double[] Points, double[] Weights) Trapezoid(int steps)
    {
        if (steps == 1) return ([0.5], [1.0]);
        var points = new double[steps];
        var weights = new double[steps];
        double h = 1.0 / (steps - 1);
        for (int i = 0; i < steps; i++)
        {
            points[i] = i * h;
            weights[i] = i == 0 || i == steps - 1 ? h / 2 : h;
        }
        return (points, weights);
    }

    /// <summary>
    /// Gauss-Legendre nodes (roots of the Legendre polynomial P_n, found by Newton's method from Chebyshev guesses) and weights
    /// 2 / ((1 - x²) P_n'(x)²), mapped from [-1, 1] to [0, 1].
    /// </summary>
    public static (double[] Points, double[] Weights) GaussLegendre(int n)
    {
        var points = new double[n];
        var weights = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5)), derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                (double p, derivative) = Legendre(n, x);
                double dx = p / derivative;
                x -= dx;
                if (Math.Abs(dx) < 1e-15) break;
            }
            (_, derivative) = Legendre(n, x);
            points[n - 1 - i] = (x + 1) / 2;
            weights[n - 1 - i] = 1.0 / ((1 - x * x) * derivative * derivative);   // 2 / (...) halved for [0, 1]
        }
        return (points, weights);
    }

    /// <summary>P_n(x) and P_n'(x) by the three-term recurrence.</summary>
    static (double Value, double Derivative) Legendre(int n, double x)
    {
        double previous = 1, value = x;
        if (n == 0) return (1, 0);
        for (int k = 2; k <= n; k++)
        {
            double next = ((2 * k - 1) * x * value - (k - 1) * previous) / k;
            previous = value;
            value = next;
        }
        return (value, n * (x * value - previous) / (x * x - 1));
    }
}
