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

/// <summary>
/// One supported architecture, chosen by <c>model_type</c> in <c>config.json</c>: where its encoder's tensors sit in a
/// checkpoint, what transformers calls its sequence classifier, and which tokenizer it uses.
/// </summary>
/// <param name="ModelType">The <c>model_type</c> value.</param>
/// <param name="EncoderPrefix">Prefix of the encoder's tensors in a task checkpoint (<c>roberta.</c>).</param>
/// <param name="ClassifierArchitecture">The <c>architectures</c> entry of a saved classifier.</param>
/// <param name="Tokenizer">The tokenizer kind.</param>
/// <param name="PositionsAfterPadding">Whether position ids count from the padding index + 1, as RoBERTa's do; the table's first
/// pad_token_id + 1 rows then never serve a real token.</param>
public sealed record ModelFamily(string ModelType, string EncoderPrefix, string ClassifierArchitecture, TokenizerKind Tokenizer, bool PositionsAfterPadding = false)
{
    /// <summary>BERT (and BERT-large, which differs only in its configuration).</summary>
    public static readonly ModelFamily Bert = new("bert", "bert.", "BertForSequenceClassification", TokenizerKind.WordPiece);
    /// <summary>DistilBERT.</summary>
    public static readonly ModelFamily DistilBert = new("distilbert", "distilbert.", "DistilBertForSequenceClassification", TokenizerKind.WordPiece);
    /// <summary>RoBERTa.</summary>
    public static readonly ModelFamily Roberta = new("roberta", "roberta.", "RobertaForSequenceClassification", TokenizerKind.ByteLevelBpe, PositionsAfterPadding: true);
    /// <summary>ALBERT.</summary>
    public static readonly ModelFamily Albert = new("albert", "albert.", "AlbertForSequenceClassification", TokenizerKind.SentencePiece);
    /// <summary>Longformer.</summary>
    public static readonly ModelFamily Longformer = new("longformer", "longformer.", "LongformerForSequenceClassification", TokenizerKind.ByteLevelBpe, PositionsAfterPadding: true);

    /// <summary>The longest input the position table serves, special tokens included (514 rows give RoBERTa 512 tokens).</summary>
    public int UsablePositions(BertConfig config) => PositionsAfterPadding ? config.MaxPositionEmbeddings - config.PadTokenId - 1 : config.MaxPositionEmbeddings;

    /// <summary>The files the tokenizer reads; a model folder needs all of them.</summary>
    public IReadOnlyList<string> TokenizerFiles => Tokenizer switch
    {
        TokenizerKind.ByteLevelBpe => ["vocab.json", "merges.txt"],
        TokenizerKind.SentencePiece => ["spiece.model"],
        _ => ["vocab.txt"],
    };

    /// <summary>The family whose <c>model_type</c> is <paramref name="modelType"/>, or null.</summary>
    public static ModelFamily? Find(string? modelType) => All.FirstOrDefault(f => f.ModelType == modelType);

    /// <summary>Every supported family.</summary>
    public static IReadOnlyList<ModelFamily> All { get; } = [Bert, DistilBert, Roberta, Albert, Longformer];

    /// <summary>The family of <paramref name="config"/>.</summary>
    /// <exception cref="NotSupportedException">model_type is none of the supported ones; the message names <paramref name="source"/>.</exception>
    public static ModelFamily Of(BertConfig config, string source) =>
        Find(config.ModelType)
        ?? throw new NotSupportedException($"{source}: model_type \"{config.ModelType}\" is not supported; TypedBert reads {string.Join(", ", All.Select(f => f.ModelType))}");
}
