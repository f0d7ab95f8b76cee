using System.Globalization;
using System.Text.Json;
using TypedBert.Classification;
using TypedBert.Modeling.Longformer;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>
/// TypedBert against Python: tiny models that transformers built and saved (tests/fixtures/generate.py: save_pretrained of the
/// model and of the tokenizer into an empty folder, which with transformers 5 leaves tokenizer.json as the only tokenizer file), with
/// the problem type, labels, ids, logits and last hidden states transformers computed. Skipped, naming the script, where the
/// fixtures have not been generated.
/// </summary>
public sealed class PythonFixtureTests
{
    public static TheoryData<string> Architectures => new(["bert", "bert-multilabel", "bert-regression", "distilbert", "roberta", "albert", "longformer"]);

    [SkippableTheory]
    [MemberData(nameof(Architectures))]
    public void Loading_the_transformers_files_reproduces_pythons_ids_logits_and_hidden_states(string architecture)
    {
        string folder = TestPaths.Fixture(Path.Combine("variants", architecture));
        Skip.If(!File.Exists(Path.Combine(folder, "expected.json")),
            $"tests/TypedBert.Tests/Fixtures/variants/{architecture} has not been generated: run `python3 tests/fixtures/generate.py` "
            + "(needs torch, transformers and sentencepiece) from the repository root and commit its output.");

        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        using var classifier = TextClassifier.Load(folder);
        var root = expected.RootElement;
        Assert.Equal(root.GetProperty("problem_type").GetString() switch
        {
            "multi_label_classification" => ProblemType.MultiLabel,
            "regression" => ProblemType.Regression,
            _ => ProblemType.SingleLabel,
        }, classifier.ProblemType);
        Assert.Equal(root.GetProperty("id2label").EnumerateObject().OrderBy(p => int.Parse(p.Name, CultureInfo.InvariantCulture)).Select(p => p.Value.GetString()),
            classifier.Labels);
        foreach (var item in expected.RootElement.GetProperty("cases").EnumerateArray())
        {
            string text = item.GetProperty("text").GetString()!;
            string? pair = item.TryGetProperty("pair", out var p) ? p.GetString() : null;
            var encoded = classifier.Tokenizer.Encode(text, pair);
            Assert.Equal(item.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()), encoded.InputIds);
            // transformers 5.17's AlbertTokenizer returns no token_type_ids, so its model saw segment 0 throughout a pair; TypedBert
            // numbers the second segment 1, as transformers 4 did and ALBERT was pre-trained. The model is compared on Python's inputs.
            bool pythonHadTypes = item.TryGetProperty("token_type_ids", out var types);
            if (pythonHadTypes)
                Assert.Equal(types.EnumerateArray().Select(e => e.GetInt32()), encoded.TokenTypeIds);

            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var ids = tensor(encoded.InputIds.Select(i => (long)i).ToArray()).unsqueeze(0);
            var mask = ones_like(ids);
            var tokenTypes = pythonHadTypes ? tensor(encoded.TokenTypeIds.Select(i => (long)i).ToArray()).unsqueeze(0) : zeros_like(ids);
            AssertClose(item.GetProperty("logits"), classifier.Model.Forward(ids, mask, tokenTypes), $"{architecture} logits of \"{text}\"");
            var hidden = classifier.Model.Encoder is LongformerModel longformer
                ? longformer.Forward(ids, mask, FirstTokenGlobal(ids), tokenTypes).LastHiddenState
                : classifier.Model.Encoder.Forward(ids, mask, tokenTypes).LastHiddenState;
            AssertClose(item.GetProperty("last_hidden_state"), hidden, $"{architecture} hidden states of \"{text}\"");
        }
    }

    /// <summary>
    /// Each architecture's head as transformers writes it, with the checkpoint's names: dense layer, activation, output layer, over the
    /// first token's vector (BERT and ALBERT call the first layer the pooler; RoBERTa and Longformer put both into classifier.*).
    /// </summary>
    static (string Dense, string Output, Func<Tensor, Tensor> Activation) HeadOf(string architecture) => architecture switch
    {
        "bert" or "bert-multilabel" or "bert-regression" => ("bert.pooler.dense", "classifier", tanh),
        "albert" => ("albert.pooler", "classifier", tanh),
        "distilbert" => ("pre_classifier", "classifier", x => nn.functional.relu(x)),
        "roberta" or "longformer" => ("classifier.dense", "classifier.out_proj", tanh),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "no head oracle"),
    };

    /// <summary>What the first layer's weights are multiplied by: enough to drive tanh into saturation and a ReLU's zeros far apart.</summary>
    const double DenseGain = 40;

    /// <summary>What the output layer's weights are multiplied by, so that logits are of order one.</summary>
    const double OutputGain = 50;

    /// <summary>
    /// The fixtures' heads are freshly initialised (weights of about 0.02, zero biases), so their logits stay near 0.013 and differ between
    /// texts by less than 1e-4: a classifier that returned constants, read the wrong token or skipped the head's tanh would match Python's
    /// logits at 1e-4. So the head is checked against an oracle written here from transformers' formula (torch's linear, tanh and relu on the
    /// checkpoint's tensors, in double precision): first the oracle must reproduce Python's logits from Python's hidden states, then, with the
    /// head's weights multiplied in both (so that the activation works far from its linear range and logits differ between texts by much
    /// more than the tolerance), TypedBert's logits must equal the oracle's on TypedBert's own hidden states. Finally the same comparison must
    /// reject three broken heads: constant logits, no activation, and the mean of the tokens read instead of the first token.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Architectures))]
    public void The_head_computes_what_transformers_head_computes_where_its_activation_matters(string architecture)
    {
        string folder = TestPaths.Fixture(Path.Combine("variants", architecture));
        Skip.If(!File.Exists(Path.Combine(folder, "expected.json")), $"tests/TypedBert.Tests/Fixtures/variants/{architecture} has not been generated");
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        using var classifier = TextClassifier.Load(folder);
        using var scope = NewDisposeScope();
        using var inference = inference_mode();

        var (dense, output, activation) = HeadOf(architecture);
        Tensor denseWeight, denseBias, outputWeight, outputBias;
        using (var file = TypedBert.Serialization.SafeTensorsFile.Open(Path.Combine(folder, "model.safetensors")))
        {
            denseWeight = file.Load(dense + ".weight").to(ScalarType.Float64);
            denseBias = file.Load(dense + ".bias").to(ScalarType.Float64);
            outputWeight = file.Load(output + ".weight").to(ScalarType.Float64);
            outputBias = file.Load(output + ".bias").to(ScalarType.Float64);
        }
        Tensor Oracle(Tensor firstToken, double denseGain, double outputGain, Func<Tensor, Tensor> act) =>
            nn.functional.linear(act(nn.functional.linear(firstToken.to(ScalarType.Float64), denseWeight * denseGain, denseBias)), outputWeight * outputGain, outputBias);

        // 1. The oracle is transformers' head: from Python's hidden states it gives Python's logits (measured: within 5e-7).
        var cases = expected.RootElement.GetProperty("cases").EnumerateArray().ToList();
        foreach (var item in cases)
        {
            int hiddenSize = item.GetProperty("hidden_size").GetInt32();
            var pythonFirstToken = tensor(item.GetProperty("last_hidden_state").EnumerateArray().Take(hiddenSize).Select(e => e.GetDouble()).ToArray()).unsqueeze(0);
            float worst = Worst(Floats(item.GetProperty("logits")), Floats(Oracle(pythonFirstToken, 1, 1, activation)));
            Assert.True(worst <= 2e-6, $"{architecture}: the head oracle misses Python's logits of \"{item.GetProperty("text").GetString()}\" by {worst}");
        }

        // 2. The same head with its weights multiplied in TypedBert's model and in the oracle.
        var parameters = classifier.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, gain) in new[] { (dense + ".weight", DenseGain), (output + ".weight", OutputGain) })
        {
            Assert.True(parameters.ContainsKey(name), $"{architecture}: TypedBert's model has no parameter {name}");
            using var noGrad = no_grad();
            parameters[name].mul_(gain);
        }
        var wanted = new List<float[]>();
        var got = new List<float[]>();
        var withoutActivation = new List<float[]>();
        var fromTheMean = new List<float[]>();
        foreach (var item in cases)
        {
            string text = item.GetProperty("text").GetString()!;
            string? pair = item.TryGetProperty("pair", out var p) ? p.GetString() : null;
            var encoded = classifier.Tokenizer.Encode(text, pair);
            var ids = tensor(encoded.InputIds.Select(i => (long)i).ToArray()).unsqueeze(0);
            var mask = ones_like(ids);
            var tokenTypes = item.TryGetProperty("token_type_ids", out _) ? tensor(encoded.TokenTypeIds.Select(i => (long)i).ToArray()).unsqueeze(0) : zeros_like(ids);
            var hidden = classifier.Model.Encoder is LongformerModel longformer
                ? longformer.Forward(ids, mask, FirstTokenGlobal(ids), tokenTypes).LastHiddenState
                : classifier.Model.Encoder.Forward(ids, mask, tokenTypes).LastHiddenState;
            wanted.Add(Floats(Oracle(hidden.select(1, 0), DenseGain, OutputGain, activation)));
            got.Add(Floats(classifier.Model.Forward(ids, mask, tokenTypes)));
            withoutActivation.Add(Floats(Oracle(hidden.select(1, 0), DenseGain, OutputGain, x => x)));
            fromTheMean.Add(Floats(Oracle(hidden.mean([1]), DenseGain, OutputGain, activation)));
        }

        // The logits now differ between texts by at least 100 times the tolerance, so no constant can pass.
        float spread = Enumerable.Range(0, wanted[0].Length).Max(label => wanted.Max(w => w[label]) - wanted.Min(w => w[label]));
        Assert.True(spread >= 0.01f, $"{architecture}: the amplified oracle's logits differ between texts by only {spread}");
        float worstOfTypedBert = wanted.Zip(got, Worst).Max();
        Assert.True(worstOfTypedBert <= 1e-4, $"{architecture}: TypedBert's head differs from transformers' (amplified) by {worstOfTypedBert}");

        // 3. The comparison can fail: each broken head misses the oracle somewhere by more than the tolerance.
        float[] mean = [.. Enumerable.Range(0, wanted[0].Length).Select(label => wanted.Average(w => w[label]))];
        foreach (var (mutant, logits) in new[] { ("constant logits", wanted.Select(_ => mean).ToList()), ("no activation", withoutActivation), ("mean of the tokens", fromTheMean) })
        {
            float worst = wanted.Zip(logits, Worst).Max();
            Assert.True(worst > 1e-4, $"{architecture}: a head with {mutant} would pass (largest difference {worst})");
        }
    }

    static float[] Floats(JsonElement values) => [.. values.EnumerateArray().Select(e => e.GetSingle())];

    static float[] Floats(Tensor values) => values.to(ScalarType.Float32).flatten().data<float>().ToArray();

    static float Worst(float[] wanted, float[] got)
    {
        Assert.Equal(wanted.Length, got.Length);
        return wanted.Zip(got, (w, g) => Math.Abs(w - g)).Max();
    }

    static Tensor FirstTokenGlobal(Tensor ids)
    {
        var global = zeros_like(ids);
        global[.., 0] = 1;
        return global;
    }

    static void AssertClose(JsonElement expected, Tensor actual, string what)
    {
        float[] wanted = [.. expected.EnumerateArray().Select(e => e.GetSingle())];
        float[] got = actual.to(ScalarType.Float32).flatten().data<float>().ToArray();
        Assert.Equal(wanted.Length, got.Length);
        float worst = wanted.Zip(got, (w, g) => Math.Abs(w - g)).Max();
        Assert.True(worst <= 1e-4, $"{what}: largest difference {worst}");
    }
}
