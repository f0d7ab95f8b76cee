using TypedBert.Tokenization;

namespace TypedBert.Explanations;

/// <summary>
/// A text cut into words at whitespace, each with its character offsets and its word pieces. Each word is tokenized with the
/// whitespace before it (byte-level BPE marks a word that follows a space), so the pieces of all words are the pieces of the
/// text, and every piece knows its word.
/// </summary>
internal sealed class TextWords
{
    TextWords(IReadOnlyList<(int Start, int Length)> spans, int[] pieces, int[] pieceWord)
    {
        Spans = spans;
        Pieces = pieces;
        PieceWord = pieceWord;
    }

    /// <summary>Each word's first character and length in the text.</summary>
    public IReadOnlyList<(int Start, int Length)> Spans { get; }

    /// <summary>The word pieces of the whole text, in order, without special tokens.</summary>
    public int[] Pieces { get; }

    /// <summary>The word (index into <see cref="Spans"/>) of each piece.</summary>
    public int[] PieceWord { get; }

    public static TextWords Split(string text, ITextTokenizer tokenizer)
    {
        var spans = new List<(int, int)>();
        var pieces = new List<int>();
        var pieceWord = new List<int>();
        int position = 0, previousEnd = 0;
        while (position < text.Length)
        {
            while (position < text.Length && char.IsWhiteSpace(text[position])) position++;
            if (position == text.Length) break;
            int start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position])) position++;
            int word = spans.Count;
            spans.Add((start, position - start));
            foreach (int id in tokenizer.Tokenize(text[previousEnd..position]))
            {
                pieces.Add(id);
                pieceWord.Add(word);
            }
            previousEnd = position;
        }
        return new TextWords(spans, [.. pieces], [.. pieceWord]);
    }
}
