namespace TypedBert.Modeling.DistilBert;

/// <summary>DistilBERT in the family registry: its own layer path, its own config field names, no pooler.</summary>
internal static class DistilBertRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("distilbert", "distilbert.", "DistilBertForSequenceClassification", TokenizerKind.WordPiece)
    {
        CreateEncoder = (config, _) => new DistilBertModel(config),
        CreateClassifier = config => new DistilBertForSequenceClassification(config),
        OnnxGraph = new(OnnxLayerStack.DistilBert, Pooler: null, OnnxHead.PreClassifierRelu),
        LayerPath = "transformer.layer",
        ConfigNames = new DistilBertConfigNames(),
        KnownCheckpoints = [new("distilbert-base-uncased", 512, 6)],
    };
}
