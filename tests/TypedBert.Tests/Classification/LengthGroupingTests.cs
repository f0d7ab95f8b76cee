using TypedBert.Classification;
using TypedBert.Onnx;
using TypedBert.Tests.Onnx;
using TypedBert.Tokenization;

namespace TypedBert.Tests.Classification;

/// <summary>
/// Batch prediction groups texts by length (<see cref="LengthBatches"/>), and the ONNX Runtime engines run batches without padding
/// on a graph without the attention mask: the results must be those of each text alone, in the caller's order.
/// </summary>
public sealed class LengthGroupingTests
{
    [Fact]
    public void Equal_lengths_form_unpadded_batches_and_the_rest_is_padded_longest_first()
    {
        // By hand: length 5 has five texts -> one unpadded batch of 4 (indexes 0-3), its fifth (4) joins the rest; lengths 7 and 3
        // have too few -> the rest, longest first: 7 (index 7), 5 (index 4), 3 (indexes 5, 6).
        var batches = LengthBatches.Of([5, 5, 5, 5, 5, 3, 3, 7], batchSize: 4);
        Assert.Equal([[0, 1, 2, 3], [7, 4, 5, 6]], batches);
        // Batch size 1: every text alone.
        Assert.Equal(3, LengthBatches.Of([2, 2, 9], batchSize: 1).Count);
    }

    [Fact]
    public void Every_input_lands_in_exactly_one_batch_of_at_most_the_batch_size()
    {
        var random = new Random(3);
        var lengths = Enumerable.Range(0, 500).Select(_ => random.Next(3, 40)).ToArray();
        var batches = LengthBatches.Of(lengths, batchSize: 32);
        Assert.Equal(Enumerable.Range(0, lengths.Length), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 32));
        Assert.True(batches.Count(b => b.Select(i => lengths[i]).Distinct().Count() == 1) > batches.Count / 2, "most batches of 500 texts over 37 lengths should be unpadded");
    }

    public static TheoryData<InferenceEngine> Engines() => [InferenceEngine.Torch, InferenceEngine.OnnxRuntime];

    /// <summary>
    /// Texts of a few lengths, duplicates among them, predicted as one batch: each row must equal libtorch fp32 on that text alone
    /// (no padding, no neighbours) within 1e-4, in the order given.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public void Grouped_batch_prediction_equals_each_text_alone_in_the_callers_order(InferenceEngine engine)
    {
        using var loaded = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        OnnxExportParityTests.SpreadHeadWeights(loaded);
        // Five texts of each of three token lengths (the fixture's vocabulary splits words unevenly, so they are picked by length),
        // shuffled, plus a few others and a repeated text.
        var texts = Candidates(loaded).GroupBy(t => loaded.Tokenizer.Encode(t, null, loaded.MaxLength).Length).Where(g => g.Count() >= 5).Take(3)
            .SelectMany(g => g.Take(5)).Concat(["one", "a rather longer text than all the others here", "red green", "red green"]).ToList();
        texts = [.. texts.OrderBy(t => t.GetHashCode(StringComparison.Ordinal) % 7).ThenBy(t => t, StringComparer.Ordinal)];
        using var classifier = loaded.WithSettings(loaded.Settings with { Engine = engine, Precision = InferencePrecision.Float32, BatchSize = 4 });
        var lengths = texts.Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength).Length).ToArray();
        Assert.Contains(LengthBatches.Of(lengths, 4), b => b.Select(i => lengths[i]).Distinct().Count() == 1); // some batches are unpadded
        Assert.Contains(LengthBatches.Of(lengths, 4), b => b.Select(i => lengths[i]).Distinct().Count() > 1);  // and some padded

        var batch = classifier.PredictBatch(texts);
        for (int i = 0; i < texts.Count; i++)
        {
            var alone = OnnxExportParityTests.LibtorchLogits(loaded, [loaded.Tokenizer.Encode(texts[i], null, loaded.MaxLength)])[0];
            OnnxExportParityTests.AssertClose(alone, [.. batch[i].Logits], 1e-4f, $"{engine}, text {i} \"{texts[i]}\"");
        }
    }

    [Theory]
    [InlineData(OnnxQuantization.None)]
    [InlineData(OnnxQuantization.Int8)]
    public void The_graph_without_mask_gives_the_masked_graphs_logits_on_an_unpadded_batch(OnnxQuantization quantization)
    {
        using var classifier = TextClassifier.Load(TestPaths.Fixture(Path.Combine("variants", "bert")));
        OnnxExportParityTests.SpreadHeadWeights(classifier);
        var options = new OnnxExportOptions { Quantization = quantization };
        var items = Candidates(classifier).Select(t => classifier.Tokenizer.Encode(t, null, classifier.MaxLength)).GroupBy(e => e.Length).First(g => g.Count() >= 3).Take(3).ToList();
        Assert.Single(items.Select(i => i.Length).Distinct());
        var batch = new BatchEncoding(items, classifier.Tokenizer.PadTokenId);
        byte[] unmasked = OnnxExport.ToBytes(classifier, options with { WithoutAttentionMask = true });
        Assert.Contains(global::Onnx.ModelProto.Parser.ParseFrom(unmasked).Graph.Node,
            n => n.OpType == (quantization == OnnxQuantization.None ? "MultiHeadAttention" : "QAttention") && (n.Input.Count < 6 || n.Input[5] == ""));
        using var masked = new OnnxRuntimeClassifier(OnnxExport.ToBytes(classifier, options), threads: 1);
        using var plain = new OnnxRuntimeClassifier(unmasked, threads: 1);
        var expected = masked.Run(batch);
        var actual = plain.Run(batch);
        for (int i = 0; i < items.Count; i++) OnnxExportParityTests.AssertClose(expected[i], actual[i], 1e-4f, $"{quantization}, row {i}");
    }

    static IEnumerable<string> Candidates(TextClassifier classifier)
    {
        string[] words = ["red", "green", "blue", "small", "large", "quick", "slow", "warm", "cold", "old", "film", "story"];
        for (int n = 1; n <= 4; n++)
            for (int i = 0; i < words.Length; i++)
                yield return string.Join(" ", Enumerable.Range(0, n).Select(j => words[(i + j * 5) % words.Length]));
    }
}
