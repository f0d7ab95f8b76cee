namespace TypedBert.Training.FewShot;

/// <summary>Where <see cref="LbfgsMinimizer.Minimize"/> stopped: the point, its value and gradient norm, and the iterations taken.</summary>
/// <param name="Point">The minimiser found.</param>
/// <param name="Value">The objective there.</param>
/// <param name="GradientNorm">The largest absolute component of the gradient there.</param>
/// <param name="Iterations">L-BFGS iterations taken.</param>
/// <param name="Converged">Whether the gradient met the tolerance (otherwise the iteration cap or a stalled line search stopped it).</param>
internal sealed record LbfgsResult(double[] Point, double Value, double GradientNorm, int Iterations, bool Converged);

/// <summary>
/// Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking line search on the Armijo condition, for the small,
/// smooth, convex problems of the few-shot head (a few thousand variables at most), in double precision.
/// </summary>
internal static class LbfgsMinimizer
{
    /// <summary>The value and gradient of the objective at a point: writes the gradient into the second argument, returns the value.</summary>
    public delegate double Objective(double[] point, double[] gradient);

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/> until the gradient's largest component is below <paramref name="tolerance"/>.</summary>
    public static LbfgsResult Minimize(Objective objective, double[] start, int maxIterations, double tolerance = 1e-7, int memory = 10)
    {
        int n = start.Length;
        var x = (double[])start.Clone();
        var g = new double[n];
        double f = objective(x, g);
        var s = new List<double[]>();
        var y = new List<double[]>();
        var rho = new List<double>();
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        int iteration = 0;
        while (iteration < maxIterations && MaxAbs(g) > tolerance)
        {
            TwoLoopDirection(g, s, y, rho, direction);
            double slope = Dot(g, direction);
            if (slope >= 0)
            {
                // Not a descent direction (rounding): restart from steepest descent.
                s.Clear(); y.Clear(); rho.Clear();
                for (int i = 0; i < n; i++) direction[i] = -g[i];
                slope = Dot(g, direction);
            }
            // The first step has no curvature estimate: a unit step along the scaled gradient keeps it from overshooting.
            double step = s.Count == 0 ? Math.Min(1.0, 1.0 / Math.Max(1e-12, MaxAbs(g))) : 1.0;
            double fTrial = double.NaN;
            bool accepted = false;
            for (int tries = 0; tries < 60; tries++)
            {
                for (int i = 0; i < n; i++) trial[i] = x[i] + step * direction[i];
                fTrial = objective(trial, trialGradient);
                if (double.IsFinite(fTrial) && fTrial <= f + 1e-4 * step * slope) { accepted = true; break; }
                step *= 0.5;
            }
            if (!accepted) break; // no decrease left at machine precision
            var sNew = new double[n];
            var yNew = new double[n];
            for (int i = 0; i < n; i++)
            {
                sNew[i] = trial[i] - x[i];
                yNew[i] = trialGradient[i] - g[i];
            }
            double curvature = Dot(sNew, yNew);
            if (curvature > 1e-12 * Dot(yNew, yNew))
            {
                if (s.Count == memory) { s.RemoveAt(0); y.RemoveAt(0); rho.RemoveAt(0); }
                s.Add(sNew); y.Add(yNew); rho.Add(1 / curvature);
            }
            Array.Copy(trial, x, n);
            Array.Copy(trialGradient, g, n);
            bool stalled = f - fTrial <= 1e-15 * Math.Max(1, Math.Abs(f));
            f = fTrial;
            iteration++;
            if (stalled) break;
        }
        double norm = MaxAbs(g);
        return new LbfgsResult(x, f, norm, iteration, norm <= tolerance);
    }

    /// <summary>The L-BFGS two-loop recursion: <paramref name="direction"/> = −H·g from the stored curvature pairs.</summary>
    static void TwoLoopDirection(double[] g, List<double[]> s, List<double[]> y, List<double> rho, double[] direction)
    {
        int n = g.Length, m = s.Count;
        for (int i = 0; i < n; i++) direction[i] = -g[i];
        var alpha = new double[m];
        for (int k = m - 1; k >= 0; k--)
        {
            alpha[k] = rho[k] * Dot(s[k], direction);
            for (int i = 0; i < n; i++) direction[i] -= alpha[k] * y[k][i];
        }
        if (m > 0)
        {
            double gamma = Dot(s[m - 1], y[m - 1]) / Dot(y[m - 1], y[m - 1]);
            for (int i = 0; i < n; i++) direction[i] *= gamma;
        }
        for (int k = 0; k < m; k++)
        {
            double beta = rho[k] * Dot(y[k], direction);
            for (int i = 0; i < n; i++) direction[i] += (alpha[k] - beta) * s[k][i];
        }
    }

    internal static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    static double MaxAbs(double[] v)
    {
        double max = 0;
        foreach (double value in v) max = Math.Max(max, Math.Abs(value));
        return max;
    }
}
