namespace TypedBert.Modeling;

/// <summary>The tokenizer a model family is trained with.</summary>
public enum TokenizerKind
{
    /// <summary>WordPiece over <c>vocab.txt</c> (BERT, DistilBERT).</summary>
    WordPiece,

    /// <summary>Byte-level BPE over <c>vocab.json</c> and <c>merges.txt</c> (RoBERTa, Longformer).</summary>
    ByteLevelBpe,

    /// <summary>A SentencePiece model in <c>spiece.model</c> (ALBERT).</summary>
    SentencePiece,
}
