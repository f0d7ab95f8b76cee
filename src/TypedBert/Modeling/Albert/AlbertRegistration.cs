namespace TypedBert.Modeling.Albert;

/// <summary>
/// ALBERT in the family registry. Its layers share one set of weights, so the head overrides which prefixes freezing
/// takes (<see cref="AlbertForSequenceClassification.FrozenParameterPrefixes"/>) instead of reading a layer path.
/// </summary>
internal static class AlbertRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("albert", "albert.", "AlbertForSequenceClassification", TokenizerKind.SentencePiece)
    {
        CreateEncoder = (config, pooler) => new AlbertModel(config, pooler),
        CreateClassifier = config => new AlbertForSequenceClassification(config),
        OnnxGraph = new(OnnxLayerStack.Albert, Pooler: "pooler", OnnxHead.Linear),
        KnownCheckpoints = [new("albert-base-v2", 512, 12)],
    };
}
