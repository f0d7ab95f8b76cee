using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TypedBert.Pretrained;
using TypedBert.Tokenization;
using static TorchSharp.torch;

namespace TypedBert.Tests.Pretrained;

/// <summary>
/// The TorchSharp encoder, loaded from the imported safetensors, against ONNX Runtime running the original ONNX file on the same ids.
/// </summary>
public sealed class OnnxParityTests : IClassFixture<OnnxParityTests.Models>
{
    const float Tolerance = 1e-4f;
    readonly Models models;

    public OnnxParityTests(Models models) => this.models = models;

    public sealed class Models : IDisposable
    {
        public Dictionary<string, (PretrainedEncoder Encoder, InferenceSession Onnx)> ByName { get; } = [];

        public (PretrainedEncoder Encoder, InferenceSession Onnx) Get(string name)
        {
            lock (ByName)
            {
                if (!ByName.TryGetValue(name, out var pair))
                {
                    var embedded = EmbeddedModels.Find(name)!;
                    var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount, InterOpNumThreads = 1 };
                    pair = (PretrainedEncoder.Load(name), new InferenceSession(embedded.ReadResource(embedded.OnnxResource), options));
                    ByName[name] = pair;
                }
                return pair;
            }
        }

        public void Dispose()
        {
            foreach (var (encoder, onnx) in ByName.Values)
            {
                encoder.Dispose();
                onnx.Dispose();
            }
        }
    }

    static readonly string LongText = string.Concat(Enumerable.Repeat(
        "The committee published its annual report on regional transport, noting that rail ridership rose while bus services declined. ", 60));

    /// <summary>The inputs: each case is one batch of texts (or pairs) encoded together.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { EmbeddedModels.DefaultName, "arctic-xs-uncased" })
            foreach (var name in new[] { "short", "truncated-at-512", "padded-batch", "pair", "accents-and-scripts", "emoji", "empty", "numbers-and-punctuation", "right-to-left" })
                data.Add(model, name);
        return data;
    }

    static BatchEncoding Encode(BertTokenizer tokenizer, string name) => name switch
    {
        "short" => tokenizer.EncodeBatch(["The striker scored twice."]),
        "truncated-at-512" => tokenizer.EncodeBatch([LongText], maxLength: 512),
        "padded-batch" => tokenizer.EncodeBatch(["Short one.", "A somewhat longer sentence about the weather in Lisbon today.", "Mid-length text here, ok?"]),
        "pair" => tokenizer.EncodeBatch(["How old is the universe?"], ["About 13.8 billion years, according to current estimates."]),
        "accents-and-scripts" => tokenizer.EncodeBatch(["Café naïve résumé — Ελληνικά, русский текст, 日本語のテキスト, 中文分词"]),
        "emoji" => tokenizer.EncodeBatch(["I love this 😍🔥👍🏽 so much!!!"]),
        "empty" => tokenizer.EncodeBatch([""]),
        "numbers-and-punctuation" => tokenizer.EncodeBatch(["$1,234.56 (approx.) — e-mail: a.b@c.com; 3/4 of #tags & \"quotes\"..."]),
        "right-to-left" => tokenizer.EncodeBatch(["مرحبا بالعالم، هذا اختبار", "שלום עולם"]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Last_hidden_state_matches_ONNX_Runtime(string model, string caseName)
    {
        var (encoder, onnx) = models.Get(model);
        var batch = Encode(encoder.Tokenizer, caseName);
        if (caseName == "truncated-at-512") Assert.Equal(512, batch.SequenceLength);
        if (caseName == "padded-batch") Assert.Contains(0L, batch.AttentionMask);

        int[] shape = [batch.BatchSize, batch.SequenceLength];
        var feeds = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds, shape)),
        };
        using var results = onnx.Run(feeds);
        float[] expected = results.First(r => r.Name == "last_hidden_state").AsTensor<float>().ToArray();

        using var inputs = batch.ToTensors();
        using var output = encoder.Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
        float[] actual = output.LastHiddenState.contiguous().data<float>().ToArray();

        int hidden = encoder.Config.HiddenSize;
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int token = 0; token < batch.AttentionMask.Length; token++)
        {
            if (batch.AttentionMask[token] == 0) continue;
            for (int h = 0; h < hidden; h++)
                worst = Math.Max(worst, Math.Abs(expected[token * hidden + h] - actual[token * hidden + h]));
        }
        Assert.True(worst <= Tolerance, $"{model} / {caseName}: max |difference| {worst} > {Tolerance}");
    }

    [Fact]
    public void Pooler_output_matches_ONNX_Runtime_for_the_model_that_has_one()
    {
        var (encoder, onnx) = models.Get(EmbeddedModels.DefaultName);
        Assert.True(encoder.Model.HasPooler);
        var batch = encoder.Tokenizer.EncodeBatch(["A pooled sentence vector.", "Another, longer sentence to pool over padding."]);
        int[] shape = [batch.BatchSize, batch.SequenceLength];
        using var results = onnx.Run(
        [
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(batch.InputIds, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(batch.AttentionMask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(batch.TokenTypeIds, shape)),
        ]);
        float[] expected = results.First(r => r.Name != "last_hidden_state").AsTensor<float>().ToArray();
        using var inputs = batch.ToTensors();
        using var output = encoder.Model.Forward(inputs.InputIds, inputs.AttentionMask, inputs.TokenTypeIds);
        float[] actual = output.PoolerOutput!.contiguous().data<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        float worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= Tolerance, $"pooler max |difference| {worst}");
    }

    [Fact]
    public void The_model_without_pooler_is_imported_without_one()
    {
        var (encoder, _) = models.Get("arctic-xs-uncased");
        Assert.False(encoder.Model.HasPooler);
    }
}
