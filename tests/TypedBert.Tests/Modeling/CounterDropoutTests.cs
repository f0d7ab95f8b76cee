using TypedBert.Modeling;
using static TorchSharp.torch;

namespace TypedBert.Tests.Modeling;

public sealed class CounterDropoutTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Masks_drop_the_asked_fraction_and_scale_the_rest_so_the_mean_is_kept(double p)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        const int n = 1 << 20; // 16 parallel chunks
        var mask = CounterDropout.Mask([n], p).data<float>().ToArray();
        float kept = (float)(1 / (1 - p));
        Assert.All(mask.Distinct(), v => Assert.True(v == 0f || v == kept, $"mask value {v} is neither 0 nor {kept}"));
        double dropped = mask.Count(v => v == 0f) / (double)n;
        double sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange(dropped, p - 5 * sigma, p + 5 * sigma);
        Assert.InRange(mask.Average(v => (double)v), 1 - 5 * sigma * kept, 1 + 5 * sigma * kept);
    }

    [Fact]
    public void Neighbouring_elements_and_chunk_borders_are_independent()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        const int n = 1 << 20;
        var mask = CounterDropout.Mask([n], 0.5).data<float>().Select(v => v == 0f ? 0.0 : 1.0).ToArray();
        // Each 64-bit hash gives two elements, and chunks are drawn on different threads: lags 1 and 2 cover both seams.
        foreach (int lag in new[] { 1, 2, 3, 65_536 })
        {
            double correlation = Correlation(mask.AsSpan(0, n - lag), mask.AsSpan(lag));
            Assert.True(Math.Abs(correlation) < 0.01, $"lag {lag}: correlation {correlation:0.0000}");
        }
        var chunkStarts = Enumerable.Range(0, 16).Select(c => mask.AsSpan(c * 65_536, 64).ToArray()).ToList();
        Assert.Equal(16, chunkStarts.Select(s => string.Join(",", s)).Distinct().Count());
    }

    [Fact]
    public void The_seed_comes_from_libtorchs_generator_so_manual_seed_repeats_a_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var first = CounterDropout.Mask([4, 1000], 0.1);
        var second = CounterDropout.Mask([4, 1000], 0.1);
        manual_seed(5);
        var again = CounterDropout.Mask([4, 1000], 0.1);
        Assert.True(first.equal(again).all().item<bool>());
        Assert.False(first.equal(second).all().item<bool>());
    }

    [Fact]
    public void Training_mode_drops_and_scales_evaluation_mode_passes_through_and_gradients_follow_the_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var input = randn(64, 300).requires_grad_(true);
        using var dropout = new CounterDropout(0.25);

        dropout.eval();
        Assert.True(dropout.forward(input).equal(input).all().item<bool>());

        dropout.train();
        var output = dropout.forward(input);
        var kept = output.ne(0);
        Assert.True(output.masked_select(kept).allclose(input.masked_select(kept) / 0.75f, rtol: 1e-6, atol: 0));
        output.sum().backward();
        var expectedGradient = kept.to(ScalarType.Float32) / 0.75f;
        Assert.True(input.grad!.allclose(expectedGradient, rtol: 1e-6, atol: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CounterDropout(1.5));
    }

    [Fact]
    public void Attention_with_dropout_is_the_product_of_softmax_and_values_under_the_same_mask()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        long batch = 2, sequence = 5, hidden = 8;
        int heads = 2;
        var (q, k, v) = (randn(batch, sequence, hidden), randn(batch, sequence, hidden), randn(batch, sequence, hidden));
        var additiveMask = zeros(batch, 1, 1, sequence);
        additiveMask[1, 0, 0, 4] = tensor(float.MinValue); // the second text is one token shorter

        manual_seed(8);
        var attended = MultiHeadAttention.Attend(q, k, v, additiveMask, heads, dropout: 0.2);
        manual_seed(8);
        var mask = CounterDropout.Mask([batch, heads, sequence, sequence], 0.2);

        Tensor Split(Tensor x) => x.view(batch, sequence, heads, hidden / heads).transpose(1, 2);
        var probabilities = (matmul(Split(q), Split(k).transpose(-1, -2)) / Math.Sqrt(hidden / heads) + additiveMask).softmax(-1);
        var expected = matmul(probabilities * mask, Split(v)).transpose(1, 2).reshape(batch, sequence, hidden);
        Assert.True(attended.allclose(expected, rtol: 1e-5, atol: 1e-6));
        var withoutDropout = MultiHeadAttention.Attend(q, k, v, additiveMask, heads, dropout: 0);
        Assert.False(attended.allclose(withoutDropout, rtol: 1e-3, atol: 1e-4));
    }

    static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (int i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
