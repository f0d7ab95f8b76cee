using Google.Protobuf;

namespace TypedBert.Tokenization;

/// <summary>
/// Writes a SentencePiece unigram model (the protobuf of sentencepiece_model.proto) the way ALBERT's spiece.model is laid out:
/// used to rebuild <c>spiece.model</c> from a <c>tokenizer.json</c>, and by tests to make small models.
/// </summary>
internal static class SentencePieceModelWriter
{
    /// <summary>sentencepiece_model.proto's <c>SentencePiece.Type</c>.</summary>
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4 }

    /// <param name="pieces">Every piece in id order, with its log probability and type.</param>
    /// <param name="unkId">Id of the unknown piece.</param>
    /// <param name="bosId">Id of the beginning-of-sentence piece.</param>
    /// <param name="eosId">Id of the end-of-sentence piece.</param>
    /// <param name="padId">Id of the padding piece.</param>
    /// <param name="normalizerName">The normaliser's rule name (<c>nmt_nfkc</c> for ALBERT; <c>identity</c> when no character map is given).</param>
    /// <param name="precompiledCharsMap">The normaliser's compiled character map, as tokenizer.json's <c>Precompiled</c> normaliser holds it.</param>
    public static byte[] Unigram(IReadOnlyList<(string Piece, float Score, PieceType Type)> pieces, int unkId, int bosId, int eosId, int padId,
        string normalizerName = "identity", byte[]? precompiledCharsMap = null)
    {
        using var output = new MemoryStream();
        var model = new CodedOutputStream(output);
        foreach (var (piece, score, type) in pieces)
            WriteMessage(model, 1, m =>
            {
                m.WriteTag(1, WireFormat.WireType.LengthDelimited); m.WriteString(piece);
                m.WriteTag(2, WireFormat.WireType.Fixed32); m.WriteFloat(score);
                m.WriteTag(3, WireFormat.WireType.Varint); m.WriteEnum((int)type);
            });
        WriteMessage(model, 2, trainer =>
        {
            trainer.WriteTag(3, WireFormat.WireType.Varint); trainer.WriteEnum(1); // UNIGRAM
            trainer.WriteTag(4, WireFormat.WireType.Varint); trainer.WriteInt32(pieces.Count);
            trainer.WriteTag(40, WireFormat.WireType.Varint); trainer.WriteInt32(unkId);
            trainer.WriteTag(41, WireFormat.WireType.Varint); trainer.WriteInt32(bosId);
            trainer.WriteTag(42, WireFormat.WireType.Varint); trainer.WriteInt32(eosId);
            trainer.WriteTag(43, WireFormat.WireType.Varint); trainer.WriteInt32(padId);
            trainer.WriteTag(45, WireFormat.WireType.LengthDelimited); trainer.WriteString(pieces[unkId].Piece);
            trainer.WriteTag(46, WireFormat.WireType.LengthDelimited); trainer.WriteString(pieces[bosId].Piece);
            trainer.WriteTag(47, WireFormat.WireType.LengthDelimited); trainer.WriteString(pieces[eosId].Piece);
            trainer.WriteTag(48, WireFormat.WireType.LengthDelimited); trainer.WriteString(pieces[padId].Piece);
        });
        WriteMessage(model, 3, normalizer =>
        {
            normalizer.WriteTag(1, WireFormat.WireType.LengthDelimited); normalizer.WriteString(normalizerName);
            if (precompiledCharsMap is { Length: > 0 })
            {
                normalizer.WriteTag(2, WireFormat.WireType.LengthDelimited); normalizer.WriteBytes(ByteString.CopyFrom(precompiledCharsMap));
            }
            normalizer.WriteTag(3, WireFormat.WireType.Varint); normalizer.WriteBool(true); // add_dummy_prefix
            normalizer.WriteTag(4, WireFormat.WireType.Varint); normalizer.WriteBool(true); // remove_extra_whitespaces
            normalizer.WriteTag(5, WireFormat.WireType.Varint); normalizer.WriteBool(true); // escape_whitespaces
        });
        model.Flush();
        return output.ToArray();
    }

    static void WriteMessage(CodedOutputStream parent, int field, Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        var inner = new CodedOutputStream(buffer);
        write(inner);
        inner.Flush();
        parent.WriteTag(field, WireFormat.WireType.LengthDelimited);
        parent.WriteBytes(ByteString.CopyFrom(buffer.ToArray()));
    }
}
