using System.Text.Json;
using TorchSharp;
using TypedBert.Modeling;
using TypedBert.Modeling.Longformer;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>Longformer's blocked sliding-window attention against a direct statement of Hugging Face's rules over the full score matrix.</summary>
public sealed class LongformerAttentionTests
{
    static readonly EncoderConfig Config = new()
    {
        ModelType = "longformer", VocabSize = 40, HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 4, IntermediateSize = 37,
        MaxPositionEmbeddings = 42, PadTokenId = 1, Extra = new() { ["attention_window"] = JsonSerializer.SerializeToElement(4) },
    };

    /// <summary>
    /// Token i attends to every real key j with |i - j| ≤ window / 2 or j global; a global token attends to every real key with the
    /// *_global projections; padding rows are 0. One row at a time, one head at a time, over the full score matrix.
    /// </summary>
    static Tensor Reference(LongformerSelfAttention attention, Tensor hidden, long[,] mask, long[,] global, int oneSided)
    {
        var p = attention.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter);
        Tensor Project(string name, Tensor x) => x.matmul(p[name + ".weight"].t()) + p[name + ".bias"];
        int batch = (int)hidden.shape[0], n = (int)hidden.shape[1], heads = Config.NumAttentionHeads, d = Config.HeadSize;
        var output = zeros(batch, n, heads * d);
        for (int b = 0; b < batch; b++)
        {
            var h = hidden[b];
            var (q, k, v) = (Project("query", h) / Math.Sqrt(d), Project("key", h), Project("value", h));
            var (qg, kg, vg) = (Project("query_global", h) / Math.Sqrt(d), Project("key_global", h), Project("value_global", h));
            for (int head = 0; head < heads; head++)
            {
                var slice = TensorIndex.Slice(head * d, (head + 1) * d);
                for (int i = 0; i < n; i++)
                {
                    if (mask[b, i] == 0) continue;
                    bool isGlobal = global[b, i] == 1;
                    var allowed = Enumerable.Range(0, n).Where(j => mask[b, j] == 1 && (isGlobal || global[b, j] == 1 || Math.Abs(i - j) <= oneSided)).Select(j => (long)j).ToArray();
                    using var keys = tensor(allowed);
                    var (query, key, value) = isGlobal ? (qg, kg, vg) : (q, k, v);
                    var scores = key[keys][.., slice].matmul(query[i, slice]);
                    output[b, i, slice] = scores.softmax(0).matmul(value[keys][.., slice]);
                }
            }
        }
        return output;
    }

    [Fact]
    public void Sliding_window_with_global_tokens_and_padding_matches_the_full_matrix_statement_of_the_rules()
    {
        manual_seed(21);
        using var attention = new LongformerSelfAttention(Config, window: 4);
        attention.eval();
        using var scope = NewDisposeScope();
        long[,] mask = { { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0 }, { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 } };
        long[,] global = { { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, { 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } };
        var hidden = randn(2, 14, 32);
        using var masks = new LongformerMasks(tensor(mask), tensor(global));
        using var inference = inference_mode();
        var actual = attention.Forward(hidden, masks);
        var expected = Reference(attention, hidden, mask, global, oneSided: 2);
        float worst = (actual - expected).abs().max().item<float>();
        Assert.True(worst < 1e-5, $"largest difference {worst}");
    }

    [Fact]
    public void A_token_beyond_the_window_does_not_reach_local_tokens_but_reaches_the_global_one()
    {
        manual_seed(22);
        using var model = new LongformerModel(Config);
        model.eval();
        using var scope = NewDisposeScope();
        var ids = tensor(Enumerable.Range(0, 16).Select(i => (long)(i + 3)).ToArray()).unsqueeze(0);
        var changed = ids.clone();
        changed[0, 10] = 30;
        var mask = ones_like(ids);
        var global = zeros_like(ids);
        global[0, 0] = 1;
        var before = model.Forward(ids, mask, global, null).LastHiddenState[0];
        var after = model.Forward(changed, mask, global, null).LastHiddenState[0];
        var moved = (after - before).abs().amax(-1);
        for (int i = 0; i < 16; i++)
        {
            bool reachable = i == 0 || Math.Abs(i - 10) <= 2; // one layer, half-window 2, token 0 global
            float change = moved[i].item<float>();
            Assert.True(reachable ? change > 1e-4 : change == 0, $"position {i}: change {change}");
        }
    }
}
