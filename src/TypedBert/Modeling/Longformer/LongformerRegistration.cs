using TypedBert.Classification;

namespace TypedBert.Modeling.Longformer;

/// <summary>Longformer in the family registry: RoBERTa's positions and tokenizer files, its own tokenizer class.</summary>
internal static class LongformerRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("longformer", "longformer.", "LongformerForSequenceClassification", TokenizerKind.ByteLevelBpe, PositionsAfterPadding: true)
    {
        CreateEncoder = (config, _) => new LongformerModel(config),
        CreateClassifier = config => new LongformerForSequenceClassification(config),
        TokenizerClass = "LongformerTokenizer",
        KnownCheckpoints = [new("allenai/longformer-base-4096", 4096, 12)],
    };
}
