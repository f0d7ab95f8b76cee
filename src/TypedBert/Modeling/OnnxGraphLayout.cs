namespace TypedBert.Modeling;

/// <summary>
/// What the ONNX exporter needs to know about a family, given by its registration (<see cref="ModelFamily.OnnxGraph"/>) so that the
/// writer reads the module layout instead of comparing family names. A family that reuses BERT's layers and head says so here.
/// </summary>
/// <param name="Layers">The layer stack under the embeddings.</param>
/// <param name="Pooler">The pooler's linear layer under the encoder prefix (<c>pooler.dense</c>), or null when the family has none.</param>
/// <param name="Head">The classification head over the pooled vector.</param>
internal sealed record OnnxGraphLayout(OnnxLayerStack Layers, string? Pooler, OnnxHead Head);

/// <summary>The layer stacks the ONNX writer knows, named after the modules they mirror.</summary>
internal enum OnnxLayerStack
{
    /// <summary><c>encoder.layer.N</c> of <c>Bert.BertLayer</c> (BERT, RoBERTa), segments and the config's LayerNorm epsilon.</summary>
    Bert,

    /// <summary><c>transformer.layer.N</c> of DistilBERT: no segments, LayerNorm epsilon 1e-12.</summary>
    DistilBert,

    /// <summary>ALBERT's shared layer groups after <c>encoder.embedding_hidden_mapping_in</c>.</summary>
    Albert,
}

/// <summary>The classification heads the ONNX writer knows.</summary>
internal enum OnnxHead
{
    /// <summary><c>classifier</c>: one linear layer (BERT, ALBERT).</summary>
    Linear,

    /// <summary><c>classifier.dense</c>, tanh, <c>classifier.out_proj</c> (RoBERTa).</summary>
    DenseTanhOutProjection,

    /// <summary><c>pre_classifier</c>, ReLU, <c>classifier</c> (DistilBERT).</summary>
    PreClassifierRelu,
}
