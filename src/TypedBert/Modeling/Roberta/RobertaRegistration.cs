using TypedBert.Modeling.Bert;

namespace TypedBert.Modeling.Roberta;

/// <summary>
/// RoBERTa in the family registry: BERT's encoder (<see cref="BertModel"/>, which counts positions after the padding index
/// for this family) under <c>roberta.</c>, with byte-level BPE and its own head.
/// </summary>
internal static class RobertaRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("roberta", "roberta.", "RobertaForSequenceClassification", TokenizerKind.ByteLevelBpe, PositionsAfterPadding: true)
    {
        CreateEncoder = (config, pooler) => new BertModel(config, pooler),
        CreateClassifier = config => new RobertaForSequenceClassification(config),
        OnnxGraph = new(OnnxLayerStack.Bert, Pooler: "pooler.dense", OnnxHead.DenseTanhOutProjection),
        TokenizerClass = "RobertaTokenizer",
        KnownCheckpoints = [new("roberta-base", 512, 12)],
    };
}
