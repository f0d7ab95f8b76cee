using TypedBert.Modeling;

namespace TypedBert.Tests.Modeling;

public class BertConfigTests
{
    [Fact]
    public void Reads_a_Hugging_Face_config_and_keeps_unknown_fields()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("config.json");
        File.WriteAllText(path, """
            {"architectures":["BertForMaskedLM"],"model_type":"bert","vocab_size":30522,"hidden_size":768,"num_hidden_layers":12,
             "num_attention_heads":12,"intermediate_size":3072,"hidden_act":"gelu","hidden_dropout_prob":0.1,
             "attention_probs_dropout_prob":0.1,"max_position_embeddings":512,"type_vocab_size":2,"layer_norm_eps":1e-12,"pad_token_id":0,
             "transformers_version":"4.6.0.dev0"}
            """);
        var config = EncoderConfig.Load(path);
        Assert.Equal(768, config.HiddenSize);
        Assert.Equal(64, config.HeadSize);
        Assert.Equal(1e-12, config.LayerNormEps);
        Assert.True(config.Extra!.ContainsKey("architectures"));
        Assert.Contains("\"transformers_version\": \"4.6.0.dev0\"", config.ToJson());
    }

    [Theory]
    [InlineData("\"hidden_size\":1000000000", "hidden_size")]
    [InlineData("\"vocab_size\":-1", "vocab_size")]
    [InlineData("\"num_attention_heads\":7", "not a multiple")]
    [InlineData("\"hidden_act\":\"mish\"", "hidden_act")]
    [InlineData("\"num_hidden_layers\":100000", "num_hidden_layers")]
    public void Absurd_values_are_refused_before_anything_is_allocated(string field, string expected)
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("config.json");
        File.WriteAllText(path, "{" + field + "}");
        var error = Assert.Throws<InvalidDataException>(() => EncoderConfig.Load(path));
        Assert.Contains(expected, error.Message);
        Assert.Contains(path, error.Message);
    }
}
