namespace TypedBert.Modeling.Longformer;

/// <summary>Longformer in the family registry: RoBERTa's positions and tokenizer files, its own tokenizer class.</summary>
internal static class LongformerRegistration
{
    // A factory rather than a cached field: only ModelFamily's static fields hold the instance, so no initialisation cycle can see null.
    public static ModelFamily Create() => new("longformer", "longformer.", "LongformerForSequenceClassification", TokenizerKind.ByteLevelBpe, PositionsAfterPadding: true)
    {
        CreateEncoder = (config, _) => new LongformerModel(config),
        CreateClassifier = config => new LongformerForSequenceClassification(config),
        NoOnnxGraphReason =
            "Longformer cannot be exported to ONNX: its sliding-window attention with global tokens has no ONNX operator, and written out "
            + "with standard operators it loses the memory advantage that is its reason to exist. Predict it with the libtorch engine, or "
            + "fine-tune a BERT, DistilBERT, RoBERTa or ALBERT model with a sliding window instead.",
        TokenizerClass = "LongformerTokenizer",
        KnownCheckpoints = [new("allenai/longformer-base-4096", 4096, 12)],
    };
}
