namespace TypedBert.Tokenization;

/// <summary>
/// What the classifier, trainer and evaluation need from a tokenizer, whatever its kind: WordPiece (<see cref="BertTokenizer"/>),
/// byte-level BPE (<see cref="ByteLevelBpeTokenizer"/>) or SentencePiece (<see cref="SentencePieceTextTokenizer"/>).
/// Implementations are safe to use from many threads.
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Number of tokens in the vocabulary file.</summary>
    int VocabularySize { get; }

    /// <summary>The token that opens a sequence (<c>[CLS]</c>, <c>&lt;s&gt;</c>).</summary>
    int ClsTokenId { get; }

    /// <summary>The token that closes a text (<c>[SEP]</c>, <c>&lt;/s&gt;</c>).</summary>
    int SepTokenId { get; }

    /// <summary>The padding token.</summary>
    int PadTokenId { get; }

    /// <summary>The default maximum length, special tokens included.</summary>
    int ModelMaxLength { get; }

    /// <summary>Token ids of <paramref name="text"/>, without the special tokens that frame a sequence.</summary>
    IReadOnlyList<int> Tokenize(string text);

    /// <summary>Encodes one text, or a pair, with special tokens in the model's layout; longest-first truncation to <paramref name="maxLength"/>.</summary>
    /// <param name="text">First text.</param>
    /// <param name="pair">Optional second text (sentence-pair tasks).</param>
    /// <param name="maxLength">Maximum tokens including specials; <see cref="ModelMaxLength"/> when null.</param>
    EncodedText Encode(string text, string? pair = null, int? maxLength = null);

    /// <summary>Encodes a batch and pads it to its longest member (dynamic padding).</summary>
    BatchEncoding EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? pairs = null, int? maxLength = null);

    /// <summary>Writes the tokenizer's files in the Hugging Face layout into <paramref name="directory"/>.</summary>
    void Save(string directory);
}
