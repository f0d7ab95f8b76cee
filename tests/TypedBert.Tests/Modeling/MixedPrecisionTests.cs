using TypedBert.Classification;
using TypedBert.Data;
using TypedBert.Modeling;
using TypedBert.Pretrained;
using TypedBert.Training;
using static TorchSharp.torch;

namespace TypedBert.Tests.Modeling;

public sealed class MixedPrecisionTests
{
    static readonly string[] Texts = ["A delightful, moving film.", "Dull and far too long.", "It is neither good nor bad, just there."];

    [Fact]
    public void Outside_a_scope_a_linear_layer_runs_its_own_fp32_forward()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var layer = nn.Linear(8, 4);
        var input = randn(3, 8);
        Assert.False(MixedPrecision.IsBFloat16Active);
        Assert.Equal(layer.forward(input).data<float>().ToArray(), layer.Project(input).data<float>().ToArray());
    }

    [Fact]
    public void Inside_a_scope_the_product_is_computed_in_bf16_and_returned_in_fp32()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var layer = nn.Linear(64, 32);
        var input = randn(5, 64);
        var exact = layer.forward(input);
        Tensor cast, cached;
        using (MixedPrecision.BFloat16()) cast = layer.Project(input);
        using (var weights = new BFloat16Weights(layer))
        using (MixedPrecision.BFloat16(weights))
        {
            Assert.Equal(1, weights.Count);
            cached = layer.Project(input);
        }
        Assert.Equal(ScalarType.Float32, cast.dtype);
        Assert.Equal(cast.data<float>().ToArray(), cached.data<float>().ToArray());
        double error = (cast - exact).abs().max().item<float>(), size = exact.abs().max().item<float>();
        Assert.True(error > 0, "a bf16 product should differ from the fp32 one");
        Assert.True(error < 0.02 * size, $"bf16 error {error} against values up to {size}");
    }

    [Fact]
    public void Scopes_nest_and_must_close_in_reverse_order()
    {
        var outer = MixedPrecision.BFloat16();
        var inner = MixedPrecision.BFloat16();
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        Assert.True(MixedPrecision.IsBFloat16Active);
        outer.Dispose();
        Assert.False(MixedPrecision.IsBFloat16Active);
    }

    [Fact]
    public void In_training_the_gradients_reach_the_fp32_master_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var layer = nn.Linear(64, 16);
        var input = randn(8, 64);
        layer.Project(input).square().sum().backward();
        var exact = layer.weight!.grad!.clone();
        layer.weight.grad = null!;
        using (MixedPrecision.BFloat16()) layer.Project(input).square().sum().backward();
        var mixed = layer.weight.grad!;
        Assert.Equal(ScalarType.Float32, mixed.dtype);
        double error = (mixed - exact).abs().max().item<float>(), size = exact.abs().max().item<float>();
        Assert.True(error < 0.03 * size, $"bf16 gradient error {error} against values up to {size}");
    }

    [Fact]
    public void Bf16_prediction_stays_close_to_fp32_on_the_embedded_model()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]).With(s => s with { Precision = InferencePrecision.Float32 });
        var fp32 = classifier.PredictBatch(Texts);
        using var bf16Classifier = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.BFloat16 });
        Assert.Equal(InferencePrecision.BFloat16, bf16Classifier.EffectivePrecision);
        var bf16 = bf16Classifier.PredictBatch(Texts);
        for (int i = 0; i < Texts.Length; i++)
            for (int j = 0; j < 2; j++)
                Assert.True(Math.Abs(fp32[i].Logits[j] - bf16[i].Logits[j]) < 0.05, $"text {i} logit {j}: fp32 {fp32[i].Logits[j]}, bf16 {bf16[i].Logits[j]}");
        Assert.Equal(ScalarType.Float32, classifier.Model.parameters().First().dtype); // the model itself keeps fp32 weights
    }

    [Fact]
    public void Bf16_prediction_after_training_uses_the_new_weights()
    {
        using var classifier = TextClassifier.FromPretrained(EmbeddedModels.DefaultName, ["Negative", "Positive"]).With(s => s with { Precision = InferencePrecision.BFloat16 });
        var before = classifier.PredictBatch(Texts); // takes the bf16 copies
        var examples = Texts.Select((t, i) => TrainingExample.ForLabel(t, i % 2)).ToList();
        var run = new Trainer(classifier, new TrainingOptions { Epochs = 1, BatchSize = 3, MaxLength = 16, LearningRate = 1e-3, BFloat16MixedPrecision = true })
            .Train(examples);
        Assert.Equal(1, run.Steps);
        var after = classifier.PredictBatch(Texts);
        using var fp32 = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.Float32 });
        var reference = fp32.PredictBatch(Texts);
        for (int i = 0; i < Texts.Length; i++)
        {
            Assert.NotEqual(before[i].Logits, after[i].Logits);
            for (int j = 0; j < 2; j++) Assert.True(Math.Abs(reference[i].Logits[j] - after[i].Logits[j]) < 0.05, $"text {i}: stale bf16 weights?");
        }
    }
}
