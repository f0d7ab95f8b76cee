using TorchSharp;
using TypedBert.Classification;
using TypedBert.Modeling;
using static TorchSharp.torch;

namespace TypedBert.Explanations;

/// <summary>
/// Integrated gradients of one label's logit with respect to the word embeddings of one window:
/// attribution_i = (x_i − b_i) · ∫₀¹ ∂F(b + α(x − b)) / ∂x_i dα, the integral by <see cref="Quadrature"/>, many steps per
/// forward and backward pass. Gradients are taken for the interpolated embeddings alone (<c>autograd.grad</c>), so the
/// model's parameters collect no gradients and the classifier may predict on other threads meanwhile.
/// </summary>
internal static class IntegratedGradients
{
    /// <summary>The attributions of one window's tokens, and the label's logit at the text and at the baseline.</summary>
    internal sealed record Window(float[] Attributions, float Logit, float BaselineLogit)
    {
        public double CompletenessError
        {
            get
            {
                double sum = Attributions.Sum(a => (double)a), difference = Logit - BaselineLogit;
                double error = Math.Abs(sum - difference);
                return Math.Abs(difference) > 1e-6 ? error / Math.Abs(difference) : error;
            }
        }
    }

    /// <param name="model">The classifier's model, in evaluation mode.</param>
    /// <param name="device">Where its weights are.</param>
    /// <param name="ids">The window's ids, special tokens included.</param>
    /// <param name="keep">Tokens the baseline keeps as they are (the special tokens).</param>
    /// <param name="label">The label whose logit is explained.</param>
    /// <param name="padTokenId">The padding token, whose embedding the <see cref="ExplanationBaseline.Padding"/> baseline uses.</param>
    /// <param name="options">Steps, baseline and rule.</param>
    public static Window Run(SequenceClassificationModel model, Device device, int[] ids, bool[] keep, int label, int padTokenId, ExplanationOptions options)
    {
        using var scope = NewDisposeScope();
        int length = ids.Length;
        var weight = WordEmbeddingWeight(model);
        var idTensor = tensor(ids.Select(i => (long)i).ToArray(), device: device);
        var keepMask = tensor(keep, device: device).unsqueeze(-1);
        Tensor text, baseline, difference;
        float logit, baselineLogit;
        using (no_grad())
        {
            text = weight.index_select(0, idTensor).to(ScalarType.Float32);
            baseline = options.Baseline == ExplanationBaseline.Zero
                ? where(keepMask, text, zeros(text.shape, ScalarType.Float32, device))
                : where(keepMask, text, weight[padTokenId].to(ScalarType.Float32).unsqueeze(0).expand_as(text));
            difference = text - baseline;
            var ends = Logits(model, device, idTensor, stack([baseline, text]));
            baselineLogit = ends[0, label].item<float>();
            logit = ends[1, label].item<float>();
        }

        var (points, weights) = Quadrature.For(options.Rule, options.Steps);
        var passes = new List<Tensor>();
        int perPass = Math.Max(1, options.TokensPerPass / length);
        for (int start = 0; start < points.Length; start += perPass)
        {
            using var pass = NewDisposeScope();
            int count = Math.Min(perPass, points.Length - start);
            var alphas = tensor(points[start..(start + count)].Select(p => (float)p).ToArray(), device: device).view(count, 1, 1);
            var stepWeights = tensor(weights[start..(start + count)].Select(w => (float)w).ToArray(), device: device);
            var path = (baseline.unsqueeze(0) + alphas * difference.unsqueeze(0)).detach().requires_grad_(true);
            using var grad = enable_grad();
            var objective = (Logits(model, device, idTensor, path).select(1, label) * stepWeights).sum();
            var gradient = autograd.grad([objective], [path])[0];
            passes.Add(gradient.sum(dim: 0).MoveToOuterDisposeScope());   // dim named: a bare 0 converts to ScalarType and sums everything
        }
        var integral = stack(passes).sum(dim: 0);
        var attributions = (difference * integral).sum(-1).cpu();
        return new Window(attributions.data<float>().ToArray(), logit, baselineLogit);
    }

    /// <summary>Logits [rows, labels] of <paramref name="ids"/> with <paramref name="embeddings"/> [rows, length, width] for its word embeddings.</summary>
    static Tensor Logits(SequenceClassificationModel model, Device device, Tensor ids, Tensor embeddings)
    {
        long rows = embeddings.shape[0], length = ids.shape[0];
        var batchIds = ids.unsqueeze(0).expand(rows, length).contiguous();
        var mask = ones(rows, length, ScalarType.Int64, device);
        var types = zeros(rows, length, ScalarType.Int64, device);
        using var replaced = WordEmbeddingsOverride.Use(embeddings);
        return model.Forward(batchIds, mask, types).to(ScalarType.Float32);
    }

    /// <summary>The word-embedding table, named as in every supported family's checkpoint (<c>{prefix}embeddings.word_embeddings.weight</c>).</summary>
    static Tensor WordEmbeddingWeight(SequenceClassificationModel model)
    {
        string name = model.Family.EncoderPrefix + "embeddings.word_embeddings.weight";
        foreach (var (parameterName, parameter) in model.named_parameters())
            if (parameterName == name) return parameter;
        throw new NotSupportedException($"{model.Family.ModelType}: no {name} to explain with");
    }
}
