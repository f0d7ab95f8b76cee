using Google.Protobuf;
using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// <see cref="OnnxExportOptions.FloatActivations"/>: the static int8 graph leaves the named activations, and the products they feed,
/// in float (the measurement of which activations cost accuracy, <c>bench static-int8-study</c>, rests on it).
/// </summary>
public sealed class StaticInt8FloatActivationsTests
{
    static readonly string[] Texts = ["a tender, funny film", "the plot goes nowhere and the jokes fall flat", "dull"];

    /// <summary>
    /// Every activation kept float: no quantized product is left, and the only int8 part, the word-embedding table stored per row,
    /// is the only difference from libtorch fp32. The oracle is libtorch run with that table replaced by its dequantized rows.
    /// </summary>
    [Fact]
    public void With_every_activation_float_the_graph_equals_fp32_with_the_int8_embedding_table()
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        OnnxExportParityTests.SpreadHeadWeights(classifier);
        var options = new OnnxExportOptions
        {
            Quantization = OnnxQuantization.Int8Static, CalibrationTexts = Texts, FloatActivations = _ => true,
        };
        byte[] bytes = OnnxExport.ToBytes(classifier, options);
        var graph = global::Onnx.ModelProto.Parser.ParseFrom(bytes).Graph;
        Assert.DoesNotContain(graph.Node, n => n.OpType is "QuantizeLinear" or "MatMulIntegerToFloat" or "QLinearMatMul" or "MatMulInteger");
        var items = Texts.Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength)).ToList();
        using var onnx = new OnnxRuntimeClassifier(bytes, threads: 1);
        var actual = onnx.Run(new BatchEncoding(items, classifier.Tokenizer.PadTokenId));

        string table = classifier.Model.Family.EncoderPrefix + "embeddings.word_embeddings.weight";
        using (var noGrad = no_grad())
        {
            var parameter = classifier.Model.named_parameters().Single(p => p.name == table).parameter;
            var (quantized, scale) = ClassifierGraphWriter.QuantizeRows(parameter);
            using (quantized)
            using (scale)
            using (var dequantized = quantized.to(ScalarType.Float32) * scale.unsqueeze(1))
                parameter.copy_(dequantized);
        }
        var expected = OnnxExportParityTests.LibtorchLogits(classifier, items);
        for (int i = 0; i < items.Count; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-4f, $"text {i} label {j}: fp32 {expected[i][j]}, float static graph {actual[i][j]}");
    }

    /// <summary>One kind kept float: its products lose their quantized input (one integer product fewer per layer), the rest keep theirs.</summary>
    [Fact]
    public void One_kind_kept_float_removes_exactly_its_quantized_products()
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        var options = new OnnxExportOptions { Quantization = OnnxQuantization.Int8Static, CalibrationTexts = Texts };
        int Count(OnnxExportOptions o) => global::Onnx.ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(classifier, o)).Graph.Node.Count(n => n.OpType == "MatMulIntegerToFloat");
        int layers = classifier.Model.Config.Encoder.NumHiddenLayers;
        int all = Count(options);
        Assert.Equal(all - layers, Count(options with { FloatActivations = name => name.EndsWith("output.dense:input", StringComparison.Ordinal) && !name.Contains("attention", StringComparison.Ordinal) }));
        Assert.Equal(all, Count(options with { FloatActivations = _ => false }));
    }
}
