namespace TypedBert.Modeling.Albert;

/// <summary>ALBERT's own <c>config.json</c> fields: the factorised embedding width and how layers share weights.</summary>
/// <param name="EmbeddingSize">embedding_size (128 in albert-base-v2).</param>
/// <param name="HiddenGroups">num_hidden_groups: distinct weight sets the layers cycle through.</param>
/// <param name="InnerGroupLayers">inner_group_num: layers inside each group.</param>
internal sealed record AlbertShape(int EmbeddingSize, int HiddenGroups, int InnerGroupLayers)
{
    /// <summary>Reads the fields, with transformers' defaults, from <paramref name="config"/>.</summary>
    /// <exception cref="InvalidDataException">A field is out of range.</exception>
    public static AlbertShape Of(EncoderConfig config)
    {
        var shape = new AlbertShape(config.ExtraInt("embedding_size", 128, max: EncoderConfig.MaxHiddenSize),
            config.ExtraInt("num_hidden_groups", 1, max: config.NumHiddenLayers), config.ExtraInt("inner_group_num", 1, max: EncoderConfig.MaxLayers));
        return shape;
    }
}
