namespace TypedBert.Modeling.Bert;

/// <summary>BERT in the family registry (<see cref="ModelFamily.All"/>).</summary>
internal static class BertRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("bert", "bert.", "BertForSequenceClassification", TokenizerKind.WordPiece)
    {
        CreateEncoder = (config, pooler) => new BertModel(config, pooler),
        CreateClassifier = config => new BertForSequenceClassification(config),
        OnnxGraph = new(OnnxLayerStack.Bert, Pooler: "pooler.dense", OnnxHead.Linear),
        KnownCheckpoints =
        [
            new("bert-base-uncased", 512, 12), new("bert-base-cased", 512, 12), new("bert-base-multilingual-cased", 512, 12),
            new("bert-large-uncased", 512, 24), new("bert-large-cased", 512, 24),
        ],
    };
}
