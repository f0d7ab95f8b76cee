using TorchSharp;
using TypedBert.Modeling;
using TypedBert.Modeling.Bert;
using static TorchSharp.torch;

namespace TypedBert.Tests.Modeling;

public class BertModelTests
{
    internal static readonly EncoderConfig Tiny = new()
    {
        VocabSize = 50, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 64, MaxPositionEmbeddings = 40,
    };

    [Fact]
    public void Parameter_names_are_the_Hugging_Face_state_dict_names()
    {
        using var model = new BertModel(Tiny);
        var expected = new List<string>
        {
            "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias",
        };
        for (int layer = 0; layer < 2; layer++)
            foreach (var part in new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
                                         "attention.output.LayerNorm", "intermediate.dense", "output.dense", "output.LayerNorm" })
                expected.AddRange([$"encoder.layer.{layer}.{part}.weight", $"encoder.layer.{layer}.{part}.bias"]);
        expected.AddRange(["pooler.dense.weight", "pooler.dense.bias"]);

        Assert.Equal(expected.Order(), model.named_parameters().Select(p => p.name).Order());
        Assert.Equal(new long[] { 64, 32 }, model.named_parameters().Single(p => p.name == "encoder.layer.1.intermediate.dense.weight").parameter.shape);
    }

    [Fact]
    public void A_model_without_pooler_has_no_pooler_parameters_and_returns_no_pooled_output()
    {
        using var model = new BertModel(Tiny, addPoolingLayer: false);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.StartsWith("pooler.", StringComparison.Ordinal));
        model.eval();
        using var ids = tensor(new long[] { 2, 5, 3 }).unsqueeze(0);
        using var mask = ones_like(ids);
        using var output = model.Forward(ids, mask);
        Assert.Null(output.PoolerOutput);
    }

    [Fact]
    public void Padding_does_not_change_the_hidden_states_of_real_tokens()
    {
        manual_seed(3);
        using var model = new BertModel(Tiny);
        model.eval();
        using var alone = tensor(new long[] { 2, 11, 12, 13, 3 }).unsqueeze(0);
        using var padded = tensor(new long[] { 2, 11, 12, 13, 3, 0, 0, 0, 2, 21, 22, 23, 24, 25, 26, 3 }, [2, 8]);
        using var paddedMask = tensor(new long[] { 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 8]);
        using var aloneMask = ones_like(alone);

        using var single = model.Forward(alone, aloneMask);
        using var batch = model.Forward(padded, paddedMask);
        using var firstRow = batch.LastHiddenState[0, ..5];
        float difference = (firstRow - single.LastHiddenState[0]).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"max difference {difference}");
    }

    [Fact]
    public void Eval_mode_is_deterministic_and_train_mode_applies_dropout()
    {
        using var model = new BertModel(Tiny with { HiddenDropoutProb = 0.3 });
        using var ids = tensor(new long[] { 2, 7, 8, 9, 3 }).unsqueeze(0);
        using var mask = ones_like(ids);

        model.eval();
        using (var a = model.Forward(ids, mask))
        using (var b = model.Forward(ids, mask))
            Assert.True(a.LastHiddenState.equal(b.LastHiddenState).all().item<bool>());

        model.train();
        using (var a = model.Forward(ids, mask))
        using (var b = model.Forward(ids, mask))
            Assert.False(a.LastHiddenState.allclose(b.LastHiddenState));
    }

    [Fact]
    public void Gradients_reach_every_parameter()
    {
        using var model = new BertModel(Tiny);
        model.train();
        using var ids = tensor(new long[] { 2, 7, 8, 3, 2, 9, 3, 0 }, [2, 4]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]);
        using var types = tensor(new long[] { 0, 0, 1, 1, 0, 0, 1, 0 }, [2, 4]);
        using (var output = model.Forward(ids, mask, types))
        using (var loss = output.LastHiddenState.pow(2).mean() + output.PoolerOutput!.sum())
            loss.backward();
        var missing = model.named_parameters().Where(p => p.parameter.grad is null || p.parameter.grad.abs().sum().item<float>() == 0)
            .Select(p => p.name).Where(n => !n.EndsWith("word_embeddings.weight", StringComparison.Ordinal)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Forward_leaves_no_tensor_alive_once_its_output_is_disposed()
    {
        using var model = new BertModel(Tiny);
        model.eval();
        using var ids = tensor(new long[] { 2, 7, 8, 3, 2, 9, 3, 0 }, [2, 4]);
        using var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 1, 0 }, [2, 4]);
        model.Forward(ids, mask).Dispose(); // warm-up: lazily created handles
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 5; i++) model.Forward(ids, mask).Dispose();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Sequences_longer_than_the_position_table_are_refused()
    {
        using var model = new BertModel(Tiny);
        using var ids = zeros(1, 41, ScalarType.Int64);
        using var mask = ones_like(ids);
        var error = Assert.Throws<ArgumentException>(() => model.Forward(ids, mask));
        Assert.Contains("41 tokens", error.Message);
    }
}
