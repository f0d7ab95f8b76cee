using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Onnx;

/// <summary>
/// The graphs TypedBert writes, run by ONNX Runtime (the independent oracle), against TypedBert's own libtorch logits on the same
/// ids: every architecture's committed fixture and the embedded MiniLM, one text at a time and as a padded batch with a pair.
/// The heads get weights of standard deviation 1 first, so that logits spread over several units and a wrong pooling, a missing
/// tanh or a swapped projection cannot hide inside the tolerance.
/// </summary>
public sealed class OnnxExportParityTests
{
    const float Fp32Tolerance = 1e-4f;

    static readonly string[] Texts =
    [
        "The striker scored twice.",
        "A somewhat longer sentence about the weather in Lisbon today, with rain expected later in the week.",
        "Café naïve résumé — 日本語 😍 $1,234.56",
        "",
    ];

    public static TheoryData<string, OnnxOperators> Fixtures()
    {
        var data = new TheoryData<string, OnnxOperators>();
        foreach (var name in new[] { "bert", "bert-multilabel", "bert-regression", "distilbert", "roberta", "albert" })
            foreach (var operators in Enum.GetValues<OnnxOperators>())
                data.Add(name, operators);
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Exported_fixture_gives_the_libtorch_logits_in_ONNX_Runtime(string architecture, OnnxOperators operators)
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", architecture)));
        SpreadHeadWeights(classifier);
        AssertParity(classifier, new OnnxExportOptions { Operators = operators }, Fp32Tolerance);
    }

    public static TheoryData<PoolingStrategy, OnnxOperators> Poolings()
    {
        var data = new TheoryData<PoolingStrategy, OnnxOperators>();
        foreach (var pooling in Enum.GetValues<PoolingStrategy>())
            foreach (var operators in Enum.GetValues<OnnxOperators>())
                data.Add(pooling, operators);
        return data;
    }

    [Theory]
    [MemberData(nameof(Poolings))]
    public void Exported_MiniLM_gives_the_libtorch_logits_in_ONNX_Runtime(PoolingStrategy pooling, OnnxOperators operators)
    {
        using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", ["Negative", "Neutral", "Positive"], pooling: pooling);
        SpreadHeadWeights(classifier);
        AssertParity(classifier, new OnnxExportOptions { Operators = operators }, Fp32Tolerance);
    }

    public static TheoryData<string, OnnxOperators> Int8Models()
    {
        var data = new TheoryData<string, OnnxOperators>();
        foreach (var name in new[] { "minilm-l6-uncased", "bert", "distilbert", "roberta", "albert" })
            foreach (var operators in Enum.GetValues<OnnxOperators>())
                data.Add(name, operators);
        return data;
    }

    /// <summary>
    /// The int8 graph against libtorch fp32. Dynamic quantization rounds every Linear input and weight to 8 bits, so logits move: on
    /// the pre-trained MiniLM under a head of standard deviation 1 (which magnifies every change of the pooled vector) by about 14 % of
    /// their range over these texts, on the tiny fixtures by 0.1 to 5 %. A graph with a wrong scale, layout or zero point moves them by
    /// the whole range, so the bound is 20 %; what quantization costs in accuracy is measured on sst2 by <c>bench accuracy</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(Int8Models))]
    public void Int8_graph_stays_close_to_the_fp32_logits(string model, OnnxOperators operators)
    {
        using var classifier = model == "minilm-l6-uncased"
            ? TextClassifier.FromPretrained(model, ["Negative", "Neutral", "Positive"])
            : TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", model)));
        SpreadHeadWeights(classifier);
        var items = Texts.Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength)).ToList();
        var expected = LibtorchLogits(classifier, items);
        using var onnx = new OnnxRuntimeClassifier(OnnxExport.ToBytes(classifier, new OnnxExportOptions { Operators = operators, Quantization = OnnxQuantization.Int8 }), threads: 2);
        var actual = onnx.Run(new BatchEncoding(items, classifier.Tokenizer.PadTokenId));
        float range = expected.SelectMany(r => r).Max() - expected.SelectMany(r => r).Min();
        float worst = expected.Zip(actual, (e, a) => e.Zip(a, (x, y) => Math.Abs(x - y)).Max()).Max();
        Console.WriteLine($"int8 {model} {operators}: largest difference {worst} over a range of {range}");
        Assert.True(worst <= 0.2f * range, $"int8 logits differ from fp32 by up to {worst}, more than 20 % of their range {range}");
        Assert.True(worst > 0, "int8 logits equal fp32 to the bit: the graph was not quantized");
    }

    [Fact]
    public void Int8_MiniLM_file_is_about_a_quarter_of_fp32()
    {
        using var classifier = TextClassifier.FromPretrained("minilm-l6-uncased", ["Negative", "Positive"]);
        long fp32 = OnnxExport.ToBytes(classifier).LongLength;
        long int8 = OnnxExport.ToBytes(classifier, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 }).LongLength;
        Assert.InRange((double)int8 / fp32, 0.24, 0.30);
    }

    [Fact]
    public void ExportOnnx_writes_a_folder_that_ONNX_Runtime_runs_and_refuses_to_replace_it_unasked()
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        SpreadHeadWeights(classifier);
        string folder = Path.Combine(Directory.CreateTempSubdirectory("typedbert-exportonnx-").FullName, "onnx");
        try
        {
            classifier.ExportOnnx(folder);
            Assert.True(File.Exists(Path.Combine(folder, "onnx", "model.onnx")));
            Assert.True(File.Exists(Path.Combine(folder, "config.json")));
            Assert.True(File.Exists(Path.Combine(folder, "vocab.txt")));
            Assert.True(File.Exists(Path.Combine(folder, "tokenizer.json")));

            var item = classifier.Tokenizer.Encode(Texts[0], null, classifier.MaxLength);
            using (var onnx = new OnnxRuntimeClassifier(File.ReadAllBytes(Path.Combine(folder, "onnx", "model.onnx")), threads: 1))
                AssertClose(LibtorchLogits(classifier, [item])[0], onnx.Run(new BatchEncoding([item], classifier.Tokenizer.PadTokenId))[0], Fp32Tolerance, "the written model.onnx");

            var error = Assert.Throws<IOException>(() => classifier.ExportOnnx(folder));
            Assert.Contains(folder, error.Message);
            classifier.ExportOnnx(folder, new OnnxExportOptions { Quantization = OnnxQuantization.Int8 }, overwrite: true);
            Assert.True(new FileInfo(Path.Combine(folder, "onnx", "model_quantized.onnx")).Length < OnnxExport.ToBytes(classifier).LongLength);
            Assert.False(File.Exists(Path.Combine(folder, "onnx", "model.onnx"))); // replaced as a whole: no fp32 graph left beside the int8 one
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void Longformer_is_refused_with_the_reason()
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "longformer")));
        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(classifier));
        Assert.Contains("Longformer cannot be exported to ONNX", error.Message);
        Assert.Contains("sliding-window attention", error.Message);
    }

    /// <summary>Replaces every head parameter (the Linear layers above the encoder) with N(0, 1) draws, seeded.</summary>
    internal static void SpreadHeadWeights(TextClassifier classifier)
    {
        using var noGrad = no_grad();
        var generator = new TorchSharp.torch.Generator(7);
        string encoderPrefix = classifier.Model.Family.EncoderPrefix;
        foreach (var (name, parameter) in classifier.Model.named_parameters())
            if (!name.StartsWith(encoderPrefix, StringComparison.Ordinal) || name.Contains("pooler", StringComparison.Ordinal))
                parameter.copy_(randn(parameter.shape, generator: generator) * (parameter.dim() == 1 ? 0.5 : 16.0 / Math.Sqrt(parameter.shape[^1])));
    }

    internal static float[][] LibtorchLogits(TextClassifier classifier, IReadOnlyList<EncodedText> items)
    {
        using var fp32 = classifier.WithSettings(classifier.Settings with { Precision = InferencePrecision.Float32 });
        return fp32.ComputeLogits(items);
    }

    static void AssertParity(TextClassifier classifier, OnnxExportOptions options, float tolerance)
    {
        using var onnx = new OnnxRuntimeClassifier(OnnxExport.ToBytes(classifier, options), threads: 2);
        var singles = Texts.Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength)).ToList();
        var pair = classifier.Tokenizer.Encode("How old is the universe?", "About 13.8 billion years.", classifier.MaxLength);
        var expected = LibtorchLogits(classifier, [.. singles, pair]);

        // The logits must spread, or a constant graph would pass.
        float spread = expected.SelectMany(r => r).Max() - expected.SelectMany(r => r).Min();
        Assert.True(spread > 0.5f, $"the reference logits spread over only {spread}; the test could not tell a wrong graph from a right one");

        for (int i = 0; i < singles.Count; i++)
            AssertClose(expected[i], onnx.Run(new BatchEncoding([singles[i]], classifier.Tokenizer.PadTokenId))[0], tolerance, $"text {i} alone");
        var batch = onnx.Run(new BatchEncoding([.. singles, pair], classifier.Tokenizer.PadTokenId));
        for (int i = 0; i < batch.Length; i++) AssertClose(expected[i], batch[i], tolerance, $"row {i} of the padded batch");
    }

    internal static void AssertClose(float[] expected, float[] actual, float tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"{what}: largest logit difference {worst} exceeds {tolerance} (libtorch [{string.Join(", ", expected)}], ONNX Runtime [{string.Join(", ", actual)}])");
    }
}
