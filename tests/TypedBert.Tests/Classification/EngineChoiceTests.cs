using TypedBert.Classification;
using TypedBert.Modeling;

namespace TypedBert.Tests.Classification;

/// <summary>The engine a classifier gets without asking: the fastest exact one measured for the CPU, never int8 (docs/performance.md).</summary>
public sealed class EngineChoiceTests
{
    [Theory]
    [InlineData(true, true, true, InferenceEngine.Torch)]          // bf16 unit: libtorch bf16 measured 1.50x ONNX Runtime, its engine 1.05x
    [InlineData(true, true, false, InferenceEngine.OnnxRuntime)]   // no bf16 unit: ONNX Runtime fp32 1.05x against libtorch fp32 0.58x
    [InlineData(false, true, false, InferenceEngine.Torch)]        // Longformer: no ONNX graph
    [InlineData(true, false, false, InferenceEngine.Torch)]        // weights on a GPU: ONNX Runtime's engines run on the CPU only
    public void Automatic_engine_follows_the_measurements(bool hasOnnxGraph, bool onCpu, bool bf16Unit, InferenceEngine expected)
    {
        var (engine, reason) = EngineChoice.Automatic(hasOnnxGraph, onCpu, bf16Unit);
        Assert.Equal(expected, engine);
        Assert.NotEqual(InferenceEngine.OnnxRuntimeInt8, engine);
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void A_classifier_without_an_engine_setting_gets_the_automatic_one_and_a_named_one_wins()
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        var expected = CpuFeatures.HasBFloat16Matmul ? InferenceEngine.Torch : InferenceEngine.OnnxRuntime;
        Assert.Equal(expected, classifier.Engine);
        Assert.Contains(CpuFeatures.HideBFloat16Variable, classifier.EngineReason);
        using var named = classifier.WithSettings(classifier.Settings with { Engine = InferenceEngine.OnnxRuntimeInt8 });
        Assert.Equal(InferenceEngine.OnnxRuntimeInt8, named.Engine);
        Assert.Contains("named by the settings", named.EngineReason);
        using var longformer = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "longformer")));
        Assert.Equal(InferenceEngine.Torch, longformer.Engine);
    }
}
