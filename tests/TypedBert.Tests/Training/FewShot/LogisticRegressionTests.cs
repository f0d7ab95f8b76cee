using TypedBert.Training.FewShot;

namespace TypedBert.Tests.Training.FewShot;

public class LogisticRegressionTests
{
    /// <summary>scikit-learn's objective, written out independently of the library: C · Σ −log softmax(W x + b)[y] + ½‖W‖².</summary>
    internal static double Objective(double[][] x, int[] y, double c, double[][] w, double[] b)
    {
        double value = 0.5 * w.Sum(row => row.Sum(v => v * v));
        for (int i = 0; i < x.Length; i++)
        {
            var z = w.Select((row, k) => row.Zip(x[i], (a, f) => a * f).Sum() + b[k]).ToArray();
            double max = z.Max();
            value += c * (max + Math.Log(z.Sum(v => Math.Exp(v - max))) - z[y[i]]);
        }
        return value;
    }

    /// <summary>The objective's gradient by central differences, every weight and intercept.</summary>
    internal static double LargestFiniteDifferenceGradient(double[][] x, int[] y, double c, double[][] w, double[] b)
    {
        const double h = 1e-5;
        double largest = 0;
        void Probe(Action<double> nudge)
        {
            nudge(h);
            double up = Objective(x, y, c, w, b);
            nudge(-2 * h);
            double down = Objective(x, y, c, w, b);
            nudge(h);
            largest = Math.Max(largest, Math.Abs((up - down) / (2 * h)));
        }
        for (int k = 0; k < w.Length; k++)
        {
            for (int j = 0; j < w[k].Length; j++)
            {
                int kk = k, jj = j;
                Probe(d => w[kk][jj] += d);
            }
            int bk = k;
            Probe(d => b[bk] += d);
        }
        return largest;
    }

    static (double[][] X, int[] Y) Blobs(int classes, int perClass, int dimensions, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, dimensions).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var x = new List<double[]>();
        var y = new List<int>();
        for (int k = 0; k < classes; k++)
            for (int i = 0; i < perClass; i++)
            {
                x.Add([.. centres[k].Select(v => v + 0.8 * (random.NextDouble() - 0.5))]);
                y.Add(k);
            }
        return ([.. x], [.. y]);
    }

    [Theory]
    [InlineData(3, 1.0)]
    [InlineData(4, 0.1)]
    [InlineData(5, 20.0)]
    public void The_multinomial_fit_is_the_optimum_of_scikit_learns_objective(int classes, double c)
    {
        var (x, y) = Blobs(classes, 7, 6, seed: classes);
        var fit = LogisticRegression.FitSingleLabel(x, y, classes, c, maxIterations: 1000);

        // At the optimum of a smooth convex objective the gradient vanishes: checked by finite differences of the test's own objective.
        Assert.True(LargestFiniteDifferenceGradient(x, y, c, fit.Weights, fit.Bias) < 1e-4);
        double value = Objective(x, y, c, fit.Weights, fit.Bias);
        Assert.Equal(value, fit.Loss, 1e-6);
        // And no nearby point is lower.
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            var w = fit.Weights.Select(row => row.Select(v => v + 0.01 * (random.NextDouble() - 0.5)).ToArray()).ToArray();
            var b = fit.Bias.Select(v => v + 0.01 * (random.NextDouble() - 0.5)).ToArray();
            Assert.True(Objective(x, y, c, w, b) >= value - 1e-9);
        }
    }

    [Fact]
    public void Two_classes_are_one_binary_model_whose_optimum_has_a_closed_form()
    {
        // x = +1 (class 1) and x = −1 (class 0): by symmetry b = 0, and the binary objective 2C·log(1 + e^−w) + ½w² is least where
        // w = 2C / (1 + e^w), solved here by bisection.
        double c = 1.0;
        double lo = 0, hi = 10;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (mid - 2 * c / (1 + Math.Exp(mid)) > 0) hi = mid; else lo = mid;
        }
        double w = (lo + hi) / 2;
        var fit = LogisticRegression.FitSingleLabel([[1.0], [-1.0]], [1, 0], 2, c, maxIterations: 1000);
        // Installed as two softmax rows whose difference is the binary model.
        Assert.Equal(w, fit.Weights[1][0] - fit.Weights[0][0], 1e-6);
        Assert.Equal(0, fit.Bias[1] - fit.Bias[0], 1e-6);
        Assert.Equal(2 * c * Math.Log(1 + Math.Exp(-w)) + 0.5 * w * w, fit.Loss, 1e-9);
        Assert.Equal(-fit.Weights[1][0], fit.Weights[0][0], 12);
    }

    [Fact]
    public void A_separable_problem_is_classified_with_finite_weights_and_per_label_fits_for_multi_label()
    {
        double[][] x = [[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9], [-1, 0], [-0.9, -0.1], [0, -1], [-0.1, -0.9]];
        int[] y = [0, 0, 1, 1, 2, 2, 3, 3];
        var fit = LogisticRegression.FitSingleLabel(x, y, 4, 1.0, maxIterations: 1000);
        for (int i = 0; i < x.Length; i++)
        {
            var logits = fit.Weights.Select((row, k) => row.Zip(x[i], (a, f) => a * f).Sum() + fit.Bias[k]).ToArray();
            Assert.Equal(y[i], Array.IndexOf(logits, logits.Max()));
        }
        Assert.All(fit.Weights.SelectMany(row => row), v => Assert.True(Math.Abs(v) < 10)); // the penalty keeps a separable fit finite

        // Multi-label: each label its own binary model, the same as fitting that label alone as a two-class problem.
        bool[][] targets = [.. y.Select(label => new[] { label is 0 or 1, label is 1 or 2 })];
        var multi = LogisticRegression.FitMultiLabel(x, targets, 1.0, maxIterations: 1000);
        for (int label = 0; label < 2; label++)
        {
            var alone = LogisticRegression.FitSingleLabel(x, [.. targets.Select(t => t[label] ? 1 : 0)], 2, 1.0, maxIterations: 1000);
            for (int j = 0; j < 2; j++) Assert.Equal(alone.Weights[1][j] - alone.Weights[0][j], multi.Weights[label][j], 6);
            Assert.Equal(alone.Bias[1] - alone.Bias[0], multi.Bias[label], 6);
        }
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => LogisticRegression.FitSingleLabel([[1.0]], [0, 1], 2, 1.0, 10));
        Assert.Throws<ArgumentException>(() => LogisticRegression.FitSingleLabel([[1.0], [2.0]], [0, 1], 2, 0, 10));
    }
}
