using Google.Protobuf;

namespace TypedBert.Tests.Variants;

/// <summary>Writes a small SentencePiece unigram model (the protobuf of sentencepiece_model.proto) the way ALBERT's spiece.model is laid out.</summary>
internal static class SentencePieceModelWriter
{
    public enum PieceType { Normal = 1, Unknown = 2, Control = 3, UserDefined = 4 }

    public static byte[] Unigram(IReadOnlyList<(string Piece, float Score, PieceType Type)> pieces, int unkId, int bosId, int eosId, int padId)
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
            normalizer.WriteTag(1, WireFormat.WireType.LengthDelimited); normalizer.WriteString("identity");
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
