using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Tokenization;
using static TorchSharp.torch;
using ModelProto = global::Onnx.ModelProto;
using TensorProto = global::Onnx.TensorProto;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// The int8 graph against oracles of its own instead of a loose bound on fp32: every stored scale is worked out again from the
/// checkpoint's weights (max |w| of the row / 127) and every int8 weight rounds to within half a step of the float weight; then the
/// int8 graph is run by ONNX Runtime beside an fp32 graph of the same weights dequantized (int8 × scale), so the two differ only by the
/// 8-bit rounding of the activations, which ONNX Runtime does per call.
/// </summary>
public sealed class Int8QuantizationOracleTests
{
    static readonly string[] Texts =
    [
        "The striker scored twice.",
        "A somewhat longer sentence about the weather in Lisbon today, with rain expected later in the week.",
        "Café naïve résumé — 日本語 😍 $1,234.56",
    ];

    /// <summary>One quantized matrix of the graph: the float rows it came from, its int8 values in row order and one scale per row.</summary>
    sealed record Quantized(string Name, float[][] Rows, sbyte[][] Values, float[] Scales);

    public static TheoryData<string, OnnxOperators> Models()
    {
        var data = new TheoryData<string, OnnxOperators>();
        foreach (var name in new[] { "bert", "distilbert", "albert" })
            foreach (var operators in Enum.GetValues<OnnxOperators>())
                data.Add(name, operators);
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_row_is_stored_with_scale_amax_over_127_and_int8_values_within_half_a_step(string fixture, OnnxOperators operators)
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", fixture)));
        var matrices = QuantizedMatrices(classifier, Int8Graph(classifier, operators));
        Assert.Contains(matrices, m => m.Name.EndsWith("word_embeddings.weight", StringComparison.Ordinal));
        Assert.Contains(matrices, m => m.Name.Contains("+key+value", StringComparison.Ordinal));
        Assert.True(matrices.Count >= 6, $"only {matrices.Count} quantized matrices found");
        foreach (var m in matrices)
            for (int r = 0; r < m.Rows.Length; r++)
            {
                double amax = m.Rows[r].Max(v => Math.Abs((double)v));
                double expected = Math.Max(amax, 1e-12) / 127;
                Assert.True(Math.Abs(m.Scales[r] - expected) <= 1e-6 * expected, $"{m.Name} row {r}: scale {m.Scales[r]}, max |w| / 127 = {expected}");
                if (amax > 0) Assert.Equal(127, m.Values[r].Max(v => Math.Abs((int)v)));
                for (int j = 0; j < m.Rows[r].Length; j++)
                {
                    double error = Math.Abs(m.Values[r][j] * (double)m.Scales[r] - m.Rows[r][j]);
                    Assert.True(error <= 0.5 * expected * (1 + 1e-5), $"{m.Name}[{r}, {j}]: int8 {m.Values[r][j]} × {m.Scales[r]} is {error} from {m.Rows[r][j]}, more than half a step");
                }
            }
    }

    /// <summary>
    /// The largest difference measured (tiny fixtures, heads of standard deviation 1, biases of 0.1) is 0.013 % (distilbert) to 0.20 %
    /// (bert, 0.038 over a range of 19.5) of the logits' range, all of it from the activations' 8-bit rounding, so the bound is 0.5 %; a
    /// transposed int8 matrix, a scale applied to the wrong axis or a zero point ignored moves the logits by about the whole range.
    /// </summary>
    [Theory]
    [MemberData(nameof(Models))]
    public void The_int8_graph_computes_what_an_fp32_graph_of_its_dequantized_weights_computes(string fixture, OnnxOperators operators)
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", fixture)));
        OnnxExportParityTests.SpreadHeadWeights(classifier);
        SpreadBiases(classifier);
        byte[] int8 = Int8Graph(classifier, operators);
        var matrices = QuantizedMatrices(classifier, int8);
        Dequantize(classifier, matrices);
        byte[] fp32 = OnnxExport.ToBytes(classifier, new OnnxExportOptions { Operators = OnnxOperators.Standard });

        var items = Texts.Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength)).ToList();
        var batch = new BatchEncoding(items, classifier.Tokenizer.PadTokenId);
        float[][] expected, actual;
        using (var session = new OnnxRuntimeClassifier(fp32, threads: 1)) expected = session.Run(batch);
        using (var session = new OnnxRuntimeClassifier(int8, threads: 1)) actual = session.Run(batch);
        float range = expected.SelectMany(r => r).Max() - expected.SelectMany(r => r).Min();
        float worst = expected.Zip(actual, (e, a) => e.Zip(a, (x, y) => Math.Abs(x - y)).Max()).Max();
        Console.WriteLine($"int8 vs dequantized fp32, {fixture} {operators}: largest difference {worst} over a range of {range}");
        Assert.True(range > 0.5f, $"the logits spread over only {range}");
        Assert.True(worst <= 0.005f * range, $"int8 logits differ from the dequantized fp32 graph's by {worst}, more than 0.5 % of their range {range}");
    }

    /// <summary>
    /// The fixtures' encoder biases are zero (freshly initialised by transformers), so a graph that dropped them would pass; every
    /// bias gets N(0, 0.1) draws, seeded.
    /// </summary>
    static void SpreadBiases(TextClassifier classifier)
    {
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator(11);
        foreach (var (name, parameter) in classifier.Model.named_parameters())
            if (name.EndsWith(".bias", StringComparison.Ordinal) && !name.Contains("LayerNorm", StringComparison.Ordinal) && !name.Contains("layer_norm", StringComparison.Ordinal))
                parameter.copy_(randn(parameter.shape, generator: generator) * 0.1);
    }

    static byte[] Int8Graph(TextClassifier classifier, OnnxOperators operators) =>
        OnnxExport.ToBytes(classifier, new OnnxExportOptions { Operators = operators, Quantization = OnnxQuantization.Int8 });

    /// <summary>
    /// Reads every int8 matrix back from the graph with the checkpoint rows it stands for: Linear weights are stored [in, out]
    /// under <c>PREFIX.weight_int8</c> with <c>PREFIX.weight_scale</c> (a packed <c>query+key+value</c> stacks the three weights), the
    /// word embeddings [vocab, hidden] under <c>NAME_int8</c> with <c>NAME_scale</c> [vocab, 1].
    /// </summary>
    static List<Quantized> QuantizedMatrices(TextClassifier classifier, byte[] graphBytes)
    {
        var graph = ModelProto.Parser.ParseFrom(graphBytes).Graph;
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var weights = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var result = new List<Quantized>();
        foreach (var (name, proto) in initializers)
        {
            if (proto.DataType != (int)TensorProto.Types.DataType.Int8) continue;
            sbyte[] values = [.. proto.RawData.Span.ToArray().Select(b => (sbyte)b)];
            string stem = name[..^"_int8".Length];    // PREFIX.weight for both kinds
            Assert.EndsWith(".weight", stem);
            var scale = initializers[stem + "_scale"];
            if (scale.Dims.Count == 1)
            {
                // A Linear weight, stored transposed: [in, out].
                string prefix = stem[..^".weight".Length];
                float[][] rows = [.. SourceNames(prefix).SelectMany(n => Rows(weights[n + ".weight"]))];
                int inputs = (int)proto.Dims[0], outputs = (int)proto.Dims[1];
                Assert.Equal((rows.Length, rows[0].Length), (outputs, inputs));
                var byRow = Enumerable.Range(0, outputs).Select(r => Enumerable.Range(0, inputs).Select(j => values[j * outputs + r]).ToArray()).ToArray();
                result.Add(new Quantized(prefix, rows, byRow, Floats(scale)));
            }
            else
            {
                // The word embeddings, stored as they are: [vocab, hidden], with scales [vocab, 1].
                float[][] rows = Rows(weights[stem]);
                int width = rows[0].Length;
                Assert.Equal([rows.Length, width], proto.Dims.Select(d => (int)d));
                var byRow = Enumerable.Range(0, rows.Length).Select(r => values[(r * width)..((r + 1) * width)]).ToArray();
                result.Add(new Quantized(stem, rows, byRow, Floats(scale)));
            }
        }
        return result;
    }

    /// <summary><c>a.b.query+key+value</c> stands for <c>a.b.query</c>, <c>a.b.key</c>, <c>a.b.value</c>; any other prefix for itself.</summary>
    static IEnumerable<string> SourceNames(string prefix)
    {
        var parts = prefix.Split('+');
        if (parts.Length == 1) return parts;
        string parent = parts[0][..(parts[0].LastIndexOf('.') + 1)];
        // The writer names the pack after BERT's query, key and value; DistilBERT's projections are q_lin, k_lin and v_lin.
        return parts[0].EndsWith(".q_lin", StringComparison.Ordinal) ? [parts[0], parent + "k_lin", parent + "v_lin"] : [parts[0], .. parts.Skip(1).Select(p => parent + p)];
    }

    static float[][] Rows(Tensor weight)
    {
        var values = weight.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
        int width = (int)weight.shape[1];
        return [.. values.Chunk(width)];
    }

    static float[] Floats(TensorProto proto)
    {
        var bytes = proto.RawData.Span;
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes.ToArray(), 0, values, 0, bytes.Length);
        return values;
    }

    /// <summary>Replaces each quantized checkpoint weight with int8 × scale, row by row, so the fp32 graph carries the int8 graph's weights.</summary>
    static void Dequantize(TextClassifier classifier, List<Quantized> matrices)
    {
        using var noGrad = no_grad();
        var weights = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var m in matrices)
        {
            var names = m.Name.Contains('+', StringComparison.Ordinal) ? [.. SourceNames(m.Name).Select(n => n + ".weight")] : new[] { m.Name.EndsWith(".weight", StringComparison.Ordinal) ? m.Name : m.Name + ".weight" };
            int row = 0;
            foreach (var name in names)
            {
                var parameter = weights[name];
                int rows = (int)parameter.shape[0], width = (int)parameter.shape[1];
                var values = new float[rows * width];
                for (int r = 0; r < rows; r++, row++)
                    for (int j = 0; j < width; j++) values[r * width + j] = m.Values[row][j] * m.Scales[row];
                using var dequantized = tensor(values, [rows, width]);
                parameter.copy_(dequantized);
            }
        }
    }
}
