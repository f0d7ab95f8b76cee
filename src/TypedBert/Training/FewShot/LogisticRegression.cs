namespace TypedBert.Training.FewShot;

/// <summary>A fitted linear head, logits = <see cref="Weights"/> · x + <see cref="Bias"/>, and how its fit ended.</summary>
/// <param name="Weights">[labels][features].</param>
/// <param name="Bias">[labels].</param>
/// <param name="Loss">The penalised objective at the fit (summed over the fits of a multi-label head).</param>
/// <param name="GradientNorm">The largest absolute gradient component at the fit (the largest over a multi-label head's fits).</param>
/// <param name="Iterations">L-BFGS iterations (summed over a multi-label head's fits).</param>
internal sealed record LinearHeadFit(double[][] Weights, double[] Bias, double Loss, double GradientNorm, int Iterations);

/// <summary>
/// L2-regularised logistic regression as scikit-learn's <c>LogisticRegression()</c> fits it with its defaults (the head of SetFit):
/// minimise C · Σᵢ loss(xᵢ) + ½‖W‖², the intercept not penalised, solved to the optimum by L-BFGS. Several classes: the multinomial
/// (softmax) loss; two classes: one binary logistic model, installed as two softmax rows whose difference is it (what scikit-learn
/// fits for two classes, exactly); multi-label: one binary model per label (SetFit's one-vs-rest head).
/// </summary>
internal static class LogisticRegression
{
    /// <summary>Fits a single-label head: <paramref name="labels"/>[i] in [0, <paramref name="classes"/>).</summary>
    public static LinearHeadFit FitSingleLabel(double[][] features, int[] labels, int classes, double c, int maxIterations)
    {
        Check(features, labels.Length, c);
        if (classes == 2)
        {
            var binary = FitBinary(features, [.. labels.Select(l => l == 1)], c, maxIterations);
            // softmax([−z/2, z/2]) = sigmoid(z): the binary model as two rows.
            return binary with
            {
                Weights = [[.. binary.Weights[0].Select(w => -w / 2)], [.. binary.Weights[0].Select(w => w / 2)]],
                Bias = [-binary.Bias[0] / 2, binary.Bias[0] / 2],
            };
        }
        int d = features[0].Length;
        var result = LbfgsMinimizer.Minimize((theta, gradient) => MultinomialObjective(features, labels, classes, c, theta, gradient),
            new double[classes * (d + 1)], maxIterations);
        return new LinearHeadFit(
            [.. Enumerable.Range(0, classes).Select(k => result.Point[(k * d)..((k + 1) * d)])],
            result.Point[(classes * d)..], result.Value, result.GradientNorm, result.Iterations);
    }

    /// <summary>Fits one binary model per label of a multi-label head: <paramref name="targets"/>[i][label].</summary>
    public static LinearHeadFit FitMultiLabel(double[][] features, bool[][] targets, double c, int maxIterations)
    {
        Check(features, targets.Length, c);
        int labels = targets[0].Length;
        var fits = Enumerable.Range(0, labels).Select(label => FitBinary(features, [.. targets.Select(t => t[label])], c, maxIterations)).ToList();
        return new LinearHeadFit([.. fits.Select(f => f.Weights[0])], [.. fits.Select(f => f.Bias[0])],
            fits.Sum(f => f.Loss), fits.Max(f => f.GradientNorm), fits.Sum(f => f.Iterations));
    }

    /// <summary>One binary model, logit = w · x + b for the positive class.</summary>
    static LinearHeadFit FitBinary(double[][] features, bool[] positive, double c, int maxIterations)
    {
        int d = features[0].Length;
        var result = LbfgsMinimizer.Minimize((theta, gradient) => BinaryObjective(features, positive, c, theta, gradient), new double[d + 1], maxIterations);
        return new LinearHeadFit([result.Point[..d]], [result.Point[d]], result.Value, result.GradientNorm, result.Iterations);
    }

    /// <summary>C · Σ −log softmax(W xᵢ + b)[yᵢ] + ½‖W‖² and its gradient; θ holds W row by row, then b.</summary>
    internal static double MultinomialObjective(double[][] x, int[] y, int classes, double c, double[] theta, double[] gradient)
    {
        int d = x[0].Length, biasAt = classes * d;
        double value = 0;
        for (int j = 0; j < biasAt; j++)
        {
            value += 0.5 * theta[j] * theta[j];
            gradient[j] = theta[j];
        }
        for (int k = 0; k < classes; k++) gradient[biasAt + k] = 0;
        var logits = new double[classes];
        for (int i = 0; i < x.Length; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < classes; k++)
            {
                double z = theta[biasAt + k];
                for (int j = 0; j < d; j++) z += theta[k * d + j] * x[i][j];
                logits[k] = z;
                max = Math.Max(max, z);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += Math.Exp(logits[k] - max);
            double logSum = max + Math.Log(sum);
            value += c * (logSum - logits[y[i]]);
            for (int k = 0; k < classes; k++)
            {
                double residual = c * (Math.Exp(logits[k] - logSum) - (k == y[i] ? 1 : 0));
                if (residual == 0) continue;
                for (int j = 0; j < d; j++) gradient[k * d + j] += residual * x[i][j];
                gradient[biasAt + k] += residual;
            }
        }
        return value;
    }

    /// <summary>C · Σ log(1 + exp(−tᵢ (w · xᵢ + b))) + ½‖w‖² with tᵢ = ±1, and its gradient; θ holds w, then b.</summary>
    internal static double BinaryObjective(double[][] x, bool[] positive, double c, double[] theta, double[] gradient)
    {
        int d = x[0].Length;
        double value = 0;
        for (int j = 0; j < d; j++)
        {
            value += 0.5 * theta[j] * theta[j];
            gradient[j] = theta[j];
        }
        gradient[d] = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double z = theta[d];
            for (int j = 0; j < d; j++) z += theta[j] * x[i][j];
            double margin = positive[i] ? z : -z;
            // log(1 + e^−m), stable for either sign of m.
            value += c * (margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin)));
            double residual = c * (1 / (1 + Math.Exp(-z)) - (positive[i] ? 1 : 0));
            for (int j = 0; j < d; j++) gradient[j] += residual * x[i][j];
            gradient[d] += residual;
        }
        return value;
    }

    static void Check(double[][] features, int targets, double c)
    {
        if (features.Length == 0 || features.Length != targets)
            throw new ArgumentException($"logistic regression needs one target per feature row, got {features.Length} rows and {targets} targets");
        if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"the inverse regularisation C must be positive and finite, got {c}");
    }
}
