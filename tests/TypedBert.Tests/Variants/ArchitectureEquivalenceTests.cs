using System.Text.Json;
using TorchSharp;
using TypedBert.Modeling;
using TypedBert.Modeling.Albert;
using TypedBert.Modeling.Bert;
using TypedBert.Modeling.DistilBert;
using TypedBert.Modeling.Longformer;
using static TorchSharp.torch;

namespace TypedBert.Tests.Variants;

/// <summary>
/// Each architecture, given weights copied from another one it reduces to, must compute the same hidden states: RoBERTa is BERT
/// with shifted positions, DistilBERT is BERT without token types and pooler, ALBERT with identity mapping is BERT with shared
/// layers, Longformer with a window over the whole text is RoBERTa.
/// </summary>
public sealed class ArchitectureEquivalenceTests
{
    static readonly EncoderConfig Bert = new()
    {
        VocabSize = 40, HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 37, MaxPositionEmbeddings = 24,
    };

    // Two rows, the first padded: real ids avoid 0 and 1, the padding ids of BERT and RoBERTa.
    static readonly long[] Ids = [5, 9, 13, 17, 21, 0, 0, 0, 6, 10, 14, 18, 22, 26, 30, 34];
    static readonly long[] Mask = [1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

    static Tensor Inputs(long[] values, long pad = 0) => tensor(values.Select((v, i) => Mask[i] == 0 ? pad : v).ToArray(), [2, 8]);

    /// <summary>
    /// Copies every parameter of <paramref name="target"/> from the source parameter that <paramref name="map"/> names, adjusted by
    /// <paramref name="adjust"/>; a parameter mapped to null has no source and <paramref name="adjust"/> makes its value.
    /// </summary>
    static void CopyWeights(nn.Module target, nn.Module source, Func<string, string?> map, Func<string, Tensor?, Tensor>? adjust = null)
    {
        var from = source.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in target.named_parameters())
        {
            string? sourceName = map(name);
            Assert.True(sourceName is null || from.ContainsKey(sourceName), $"{name} <- {sourceName}: no such source parameter");
            var original = sourceName is null ? null : from[sourceName];
            using var value = adjust?.Invoke(name, original) ?? original!.clone();
            parameter.copy_(value);
        }
    }

    static void AssertRealTokensClose(Tensor expected, Tensor actual, double tolerance = 2e-5)
    {
        using var mask = tensor(Mask, [2, 8]).to(ScalarType.Bool).unsqueeze(-1);
        using var difference = (expected - actual).abs().masked_fill(mask.logical_not(), 0);
        float worst = difference.max().item<float>();
        Assert.True(worst < tolerance, $"largest difference on real tokens {worst}");
    }

    [Fact]
    public void Roberta_with_bert_weights_and_positions_shifted_by_the_padding_index_gives_berts_hidden_states()
    {
        manual_seed(11);
        using var bert = new BertModel(Bert, addPoolingLayer: false);
        var robertaConfig = Bert with { ModelType = "roberta", PadTokenId = 1, MaxPositionEmbeddings = Bert.MaxPositionEmbeddings + 2 };
        using var roberta = new BertModel(robertaConfig, addPoolingLayer: false);
        CopyWeights(roberta, bert, name => name, (name, value) => name == "embeddings.position_embeddings.weight"
            ? cat([zeros(2, Bert.HiddenSize), value!], 0) // RoBERTa's first real position is padding index + 1 = 2
            : value!.clone());
        bert.eval();
        roberta.eval();

        using var mask = tensor(Mask, [2, 8]);
        using var bertIds = Inputs(Ids, pad: 0);
        using var robertaIds = Inputs(Ids, pad: 1);
        using var expected = bert.Forward(bertIds, mask);
        using var actual = roberta.Forward(robertaIds, mask);
        AssertRealTokensClose(expected.LastHiddenState, actual.LastHiddenState);
    }

    static readonly Dictionary<string, string> DistilToBert = new()
    {
        ["attention.q_lin"] = "attention.self.query", ["attention.k_lin"] = "attention.self.key", ["attention.v_lin"] = "attention.self.value",
        ["attention.out_lin"] = "attention.output.dense", ["sa_layer_norm"] = "attention.output.LayerNorm", ["ffn.lin1"] = "intermediate.dense",
        ["ffn.lin2"] = "output.dense", ["output_layer_norm"] = "output.LayerNorm",
    };

    [Fact]
    public void Distilbert_with_bert_weights_and_the_token_type_row_folded_into_positions_gives_berts_hidden_states()
    {
        manual_seed(12);
        using var bert = new BertModel(Bert, addPoolingLayer: false);
        using var distil = new DistilBertModel(Bert with { ModelType = "distilbert", TypeVocabSize = 0 });
        var typeRow = bert.named_parameters().Single(p => p.name == "embeddings.token_type_embeddings.weight").parameter[0];
        CopyWeights(distil, bert, name =>
        {
            if (!name.StartsWith("transformer.layer.", StringComparison.Ordinal)) return name;
            string[] parts = name.Split('.', 4); // transformer, layer, N, rest
            string rest = parts[3][..parts[3].LastIndexOf('.')], leaf = parts[3][(parts[3].LastIndexOf('.') + 1)..];
            return $"encoder.layer.{parts[2]}.{DistilToBert[rest]}.{leaf}";
        }, (name, value) => name == "embeddings.position_embeddings.weight" ? value! + typeRow : value!.clone());
        bert.eval();
        distil.eval();

        using var mask = tensor(Mask, [2, 8]);
        using var ids = Inputs(Ids);
        using var expected = bert.Forward(ids, mask);
        using var actual = distil.Forward(ids, mask);
        AssertRealTokensClose(expected.LastHiddenState, actual.LastHiddenState);
    }

    static readonly Dictionary<string, string> AlbertToBert = new()
    {
        ["attention.query"] = "attention.self.query", ["attention.key"] = "attention.self.key", ["attention.value"] = "attention.self.value",
        ["attention.dense"] = "attention.output.dense", ["attention.LayerNorm"] = "attention.output.LayerNorm", ["ffn"] = "intermediate.dense",
        ["ffn_output"] = "output.dense", ["full_layer_layer_norm"] = "output.LayerNorm",
    };

    [Fact]
    public void Albert_with_identity_mapping_and_one_shared_layer_is_a_bert_whose_layers_share_their_weights()
    {
        manual_seed(13);
        using var bert = new BertModel(Bert);
        var parameters = bert.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in parameters.Where(p => p.Key.StartsWith("encoder.layer.1.", StringComparison.Ordinal)))
                parameter.copy_(parameters["encoder.layer.0." + name["encoder.layer.1.".Length..]]);
        var albertConfig = Bert with { ModelType = "albert", Extra = new() { ["embedding_size"] = JsonSerializer.SerializeToElement(Bert.HiddenSize) } };
        using var albert = new AlbertModel(albertConfig);
        const string Shared = "encoder.albert_layer_groups.0.albert_layers.0.";
        CopyWeights(albert, bert, name =>
        {
            if (name.StartsWith(Shared, StringComparison.Ordinal))
            {
                string rest = name[Shared.Length..];
                return $"encoder.layer.0.{AlbertToBert[rest[..rest.LastIndexOf('.')]]}.{rest[(rest.LastIndexOf('.') + 1)..]}";
            }
            return name switch
            {
                "pooler.weight" => "pooler.dense.weight",
                "pooler.bias" => "pooler.dense.bias",
                "encoder.embedding_hidden_mapping_in.weight" or "encoder.embedding_hidden_mapping_in.bias" => null, // the identity, below
                _ => name,
            };
        }, (name, value) => name switch
        {
            "encoder.embedding_hidden_mapping_in.weight" => eye(Bert.HiddenSize),
            "encoder.embedding_hidden_mapping_in.bias" => zeros(Bert.HiddenSize),
            _ => value!.clone(),
        });
        bert.eval();
        albert.eval();

        using var mask = tensor(Mask, [2, 8]);
        using var ids = Inputs(Ids);
        using var types = tensor(Mask.Select((m, i) => i % 8 >= 3 && m == 1 ? 1L : 0L).ToArray(), [2, 8]);
        using var expected = bert.Forward(ids, mask, types);
        using var actual = albert.Forward(ids, mask, types);
        AssertRealTokensClose(expected.LastHiddenState, actual.LastHiddenState);
        float pooled = (expected.PoolerOutput! - actual.PoolerOutput!).abs().max().item<float>();
        Assert.True(pooled < 2e-5, $"pooler outputs differ by {pooled}");
    }

    static EncoderConfig Longformer(int window) => Bert with
    {
        ModelType = "longformer", PadTokenId = 1, MaxPositionEmbeddings = Bert.MaxPositionEmbeddings + 2,
        Extra = new() { ["attention_window"] = JsonSerializer.SerializeToElement(window) },
    };

    static BertModel RobertaLike(LongformerModel longformer)
    {
        var roberta = new BertModel(longformer.Config with { ModelType = "roberta", Extra = null }, addPoolingLayer: false);
        CopyWeights(roberta, longformer, name => name);
        roberta.eval();
        return roberta;
    }

    [Fact]
    public void Longformer_with_a_window_over_the_whole_text_is_roberta_with_the_same_weights()
    {
        manual_seed(14);
        using var longformer = new LongformerModel(Longformer(window: 16));
        longformer.eval();
        using var roberta = RobertaLike(longformer);
        using var mask = tensor(Mask, [2, 8]);
        using var ids = Inputs(Ids, pad: 1);
        using var expected = roberta.Forward(ids, mask);
        using var actual = longformer.Forward(ids, mask);
        AssertRealTokensClose(expected.LastHiddenState, actual.LastHiddenState);
    }

    [Fact]
    public void Longformer_global_tokens_with_the_local_projections_change_nothing_over_a_whole_text_window()
    {
        manual_seed(15);
        using var longformer = new LongformerModel(Longformer(window: 16));
        var parameters = longformer.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, parameter) in parameters.Where(p => p.Key.Contains("_global.", StringComparison.Ordinal)))
                parameter.copy_(parameters[name.Replace("_global.", ".", StringComparison.Ordinal)]);
        longformer.eval();
        using var roberta = RobertaLike(longformer);
        using var mask = tensor(Mask, [2, 8]);
        using var ids = Inputs(Ids, pad: 1);
        using var global = tensor(new long[] { 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, [2, 8]);
        using var expected = roberta.Forward(ids, mask);
        using var actual = longformer.Forward(ids, mask, global, null);
        AssertRealTokensClose(expected.LastHiddenState, actual.LastHiddenState);
    }
}
