using TypedBert.Tokenization;

namespace TypedBert.Classification.LongText;

/// <summary>
/// The model inputs of many documents, flattened so that windows of different documents share forward passes, each input with the
/// index of its document.
/// </summary>
/// <param name="Inputs">Every input, documents in order, each document's inputs in text order.</param>
/// <param name="Document">The document of each input.</param>
/// <param name="DocumentCount">How many documents.</param>
public sealed record DocumentInputs(IReadOnlyList<EncodedText> Inputs, IReadOnlyList<int> Document, int DocumentCount)
{
    /// <summary>Encodes <paramref name="texts"/> (with optional <paramref name="pairs"/>) through <paramref name="encoder"/>.</summary>
    public static DocumentInputs Encode(LongTextEncoder encoder, IReadOnlyList<string> texts, IReadOnlyList<string?>? pairs = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(texts);
        var inputs = new List<EncodedText>(texts.Count);
        var document = new List<int>(texts.Count);
        for (int i = 0; i < texts.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], $"{nameof(texts)}[{i}]");
            foreach (var input in encoder.Encode(texts[i], pairs?[i]))
            {
                inputs.Add(input);
                document.Add(i);
            }
        }
        return new DocumentInputs(inputs, document, texts.Count);
    }

    /// <summary>The rows of each document, in document order, from one row of logits per input.</summary>
    public List<float[]>[] Group(IReadOnlyList<float[]> logits)
    {
        if (logits.Count != Inputs.Count) throw new ArgumentException($"{logits.Count} rows of logits for {Inputs.Count} inputs", nameof(logits));
        var rows = new List<float[]>[DocumentCount];
        for (int d = 0; d < DocumentCount; d++) rows[d] = [];
        for (int i = 0; i < logits.Count; i++) rows[Document[i]].Add(logits[i]);
        return rows;
    }
}
