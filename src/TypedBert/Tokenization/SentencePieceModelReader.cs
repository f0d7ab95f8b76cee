using Google.Protobuf;

namespace TypedBert.Tokenization;

/// <summary>
/// Reads what a <c>tokenizer.json</c> Unigram model needs from a SentencePiece <c>spiece.model</c> (the protobuf of
/// sentencepiece_model.proto): every piece with its score and type, and the normaliser's compiled character map. The reverse of
/// <see cref="SentencePieceModelWriter"/>; fields it does not need are skipped.
/// </summary>
internal static class SentencePieceModelReader
{
    /// <summary>The pieces in id order and the <c>precompiled_charsmap</c> (null when the model has none).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a SentencePiece model.</exception>
    public static (List<(string Piece, float Score, SentencePieceModelWriter.PieceType Type)> Pieces, byte[]? CharsMap) Read(byte[] model, string source)
    {
        var pieces = new List<(string, float, SentencePieceModelWriter.PieceType)>();
        byte[]? charsMap = null;
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(tag))
                {
                    case 1: pieces.Add(ReadPiece(input.ReadBytes())); break;
                    case 3: charsMap = ReadCharsMap(input.ReadBytes()); break;
                    default: input.SkipLastField(); break;
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source}: not a SentencePiece model ({e.Message})", e);
        }
        return (pieces, charsMap);
    }

    static (string, float, SentencePieceModelWriter.PieceType) ReadPiece(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string piece = "";
        float score = 0;
        var type = SentencePieceModelWriter.PieceType.Normal; // the proto's default
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: piece = input.ReadString(); break;
                case 2: score = input.ReadFloat(); break;
                case 3: type = (SentencePieceModelWriter.PieceType)input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (piece, score, type);
    }

    static byte[]? ReadCharsMap(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 2) return input.ReadBytes().ToByteArray();
            input.SkipLastField();
        }
        return null;
    }
}
